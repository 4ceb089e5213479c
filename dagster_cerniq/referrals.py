"""referral:eligibility:check - LOYAL_CLIENT and ADVOCATE clients not asked within the tenant's
interval get a REFERRAL_REQUEST action, sent through the channel (dbt mart
fct_referral_requests_due); the REFERRAL_ELIGIBILITY_CHECK actions A6 queued are answered;
referrals past expires_at expire (fct_referrals_expiring). Converted referrals reach the
state's successful_referrals through the nurturing_state step."""

from dagster import AssetExecutionContext, BackfillPolicy, MaterializeResult, asset
from dagster_dbt import get_asset_key_for_model
from psycopg import sql

from dagster_cerniq.analytics import dbt_detection, dbt_evaluation
from dagster_cerniq.outbox import ChannelAdapter
from dagster_cerniq.resources import CerniqDatabase
from dagster_cerniq.tenants import tenant_partitions
from dagster_cerniq.write_back import execute, write_back

REQUEST_REFERRALS = """
    insert into gold_nurturing_actions (
        tenant_id, nurturing_state_id, client_id, action_type, action_category, trigger_type,
        trigger_event, trigger_data, channel, status, scheduled_at, batch_id)
    select d.tenant_id, d.nurturing_state_id, d.client_id, 'REFERRAL_REQUEST', 'REFERRAL',
           'SCHEDULED', 'REFERRAL_ELIGIBLE',
           jsonb_build_object('state', d.current_state,
                              'last_requested_at', d.last_requested_at),
           coalesce(s.preferred_channel, 'EMAIL'), 'PENDING', %(logical_time)s, %(batch_id)s
    from {due} d
    join gold_nurturing_state s on s.id = d.nurturing_state_id
    where d.tenant_id = any(%(tenants)s::uuid[]) and d.is_due
      -- Only if the state is still the one evaluated, and nobody asked since.
      and s.current_state::text = d.current_state
      and not exists (
          select 1 from gold_nurturing_actions r
          where r.tenant_id = d.tenant_id and r.client_id = d.client_id
            and r.action_type = 'REFERRAL_REQUEST'
            and r.scheduled_at > coalesce(d.last_requested_at, '-infinity'))
"""

REQUESTS_TO_SEND = """
    select a.tenant_id, a.client_id, a.channel, 'REFERRAL_REQUEST' as message_type,
           null::varchar as subject, a.trigger_data as payload,
           'gold_nurturing_actions' as source_table, a.id as source_id
    from gold_nurturing_actions a
    where a.batch_id = %(batch_id)s and a.action_type = 'REFERRAL_REQUEST'
"""

MARK_SENT = """
    update gold_nurturing_actions set status = 'SENT', executed_at = %(logical_time)s
    where id = any(%(sent)s::uuid[]) and status = 'PENDING'
"""

# A6's check, answered once the client's referral eligibility has been evaluated.
ANSWER_CHECKS = """
    update gold_nurturing_actions a set
        status = 'COMPLETED', executed_at = %(logical_time)s,
        response_content = case when d.is_due then 'ELIGIBLE' else 'RECENTLY_ASKED' end
    from {due} d
    where a.tenant_id = any(%(tenants)s::uuid[])
      and a.action_type = 'REFERRAL_ELIGIBILITY_CHECK' and a.status = 'PENDING'
      and d.tenant_id = a.tenant_id and d.client_id = a.client_id
"""

EXPIRE_REFERRALS = """
    update gold_referrals r set
        status = 'EXPIRED', expiry_reason = 'EXPIRES_AT_PASSED', updated_at = now()
    from {expiring} e
    where e.tenant_id = any(%(tenants)s::uuid[]) and r.id = e.referral_id
      and r.status not in ('CONVERTED', 'REJECTED', 'EXPIRED')
"""


@asset(
    key="referral_requests",
    group_name="referrals",
    partitions_def=tenant_partitions,
    backfill_policy=BackfillPolicy.single_run(),
    deps=[
        get_asset_key_for_model([dbt_evaluation], "fct_referral_requests_due"),
        get_asset_key_for_model([dbt_detection], "fct_referrals_expiring"),
        "state_transitions",
    ],
    description=(
        "referral:eligibility:check: LOYAL and ADVOCATE clients not asked within the interval "
        "get a REFERRAL_REQUEST (sent through the outbox); A6's eligibility checks answered; "
        "referrals past expires_at expire."
    ),
)
def referral_requests(
    context: AssetExecutionContext, database: CerniqDatabase, channel: ChannelAdapter
) -> MaterializeResult:
    marts = {"due": "fct_referral_requests_due", "expiring": "fct_referrals_expiring"}
    with write_back(context, database) as (conn, scope):
        requested = execute(conn, REQUEST_REFERRALS, scope, **marts)
        sent = channel.send(conn, sql.SQL(REQUESTS_TO_SEND), MARK_SENT, scope.params)
        checks = execute(conn, ANSWER_CHECKS, scope, **marts)
        expired = execute(conn, EXPIRE_REFERRALS, scope, **marts)
    return MaterializeResult(
        metadata={
            "referral_requests": requested,
            "referral_requests_sent": sent,
            "eligibility_checks_answered": checks,
            "referrals_expired": expired,
        }
    )
