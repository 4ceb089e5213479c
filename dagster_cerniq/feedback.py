"""feedback:nps:send and the answers: NPS surveys due by the as-of date sent through the channel
or skipped under the frequency cap (dbt mart fct_nps_dispatch); answers recorded with their
category, and a recent detractor answer followed up by a HITL task (fct_nps_answers).

The state's NPS fields (nps_score, nps_category, satisfaction_trend, last_nps_survey_at) are
mirrored by the nurturing_state step from fct_client_nps, before this run's evaluation."""

from dagster import AssetExecutionContext, BackfillPolicy, MaterializeResult, asset
from dagster_dbt import get_asset_key_for_model
from psycopg import sql

from dagster_cerniq.analytics import dbt_detection, dbt_evaluation
from dagster_cerniq.hitl import SLA_DEADLINES, SLA_POLICY_JOIN
from dagster_cerniq.outbox import ChannelAdapter
from dagster_cerniq.resources import CerniqDatabase
from dagster_cerniq.tenants import tenant_partitions
from dagster_cerniq.write_back import count, mart, stage, write_back

SURVEYS_TO_SEND = """
    select s.tenant_id, s.client_id, s.channel, 'NPS_SURVEY' as message_type,
           null::varchar as subject,
           jsonb_build_object('survey_type', s.survey_type, 'order_id', s.order_id) as payload,
           'gold_nps_surveys' as source_table, s.id as source_id
    from gold_nps_surveys s
    join {dispatch} d on d.nps_survey_id = s.id
    where d.tenant_id = any(%(tenants)s::uuid[]) and d.dispatch_decision = 'SEND'
      and s.status = 'SCHEDULED'
"""

MARK_SENT = """
    with sent as (
        update gold_nps_surveys set status = 'SENT', sent_at = %(logical_time)s,
                                    updated_at = now()
        where id = any(%(sent)s::uuid[]) and status = 'SCHEDULED'
        returning nurturing_action_id
    )
    update gold_nurturing_actions a set status = 'SENT', executed_at = %(logical_time)s
    from sent where a.id = sent.nurturing_action_id
"""

SKIP_CAPPED = """
    with skipped as (
        update gold_nps_surveys s set status = 'SKIPPED', skip_reason = d.skip_reason,
                                      updated_at = now()
        from {dispatch} d
        where d.nps_survey_id = s.id and d.tenant_id = any(%(tenants)s::uuid[])
          and d.dispatch_decision = 'SKIP' and s.status = 'SCHEDULED'
        returning s.nurturing_action_id, s.skip_reason
    ),
    actions as (
        update gold_nurturing_actions a set status = 'SKIPPED', error_code = skipped.skip_reason
        from skipped where a.id = skipped.nurturing_action_id
    )
    select count(*) from skipped
"""

RECORD_ANSWERS = """
    with recorded as (
        update gold_nps_surveys s set status = 'RESPONDED', nps_category = a.nps_category,
                                      updated_at = now()
        from {answers} a
        where a.nps_survey_id = s.id and a.tenant_id = any(%(tenants)s::uuid[])
          and not a.is_recorded
        returning s.nurturing_action_id, s.responded_at, s.score
    ),
    actions as (
        update gold_nurturing_actions a set
            status = 'COMPLETED', response_received = true,
            response_at = recorded.responded_at, response_content = recorded.score::text
        from recorded where a.id = recorded.nurturing_action_id
    )
    select count(*) from recorded
"""

# One follow-up per detractor answer, ever (entity = the survey); at most one open per client.
DETRACTORS_WITHOUT_FOLLOWUP = """
    select a.tenant_id, a.client_id, a.nps_survey_id, a.nps_score, a.responded_at,
           a.followup_priority as priority, s.comment
    from {answers} a
    join gold_nps_surveys s on s.id = a.nps_survey_id
    where a.tenant_id = any(%(tenants)s::uuid[]) and a.needs_followup
      and not exists (
          select 1 from gold_hitl_tasks_e5 t
          where t.entity_type = 'NPS_SURVEY' and t.entity_id = a.nps_survey_id)
"""

OPEN_DETRACTOR_FOLLOWUPS = """
    insert into gold_hitl_tasks_e5 (
        tenant_id, task_type, priority, sla_deadline, sla_warning_at, sla_status, client_id,
        entity_type, entity_id, context, status, correlation_id, source_worker)
    select c.tenant_id, 'NPS_DETRACTOR_FOLLOWUP', c.priority, {sla_deadlines}, 'OK',
           c.client_id, 'NPS_SURVEY', c.nps_survey_id,
           jsonb_build_object('reason', 'Detractor NPS answer: ' || c.nps_score,
                              'nps_score', c.nps_score, 'comment', c.comment,
                              'responded_at', c.responded_at, 'as_of', %(as_of)s::text),
           'PENDING', %(batch_id)s, 'feedback:nps:detractor'
    from {candidates} c
    {policy_join}
    on conflict (tenant_id, client_id, task_type)
        where status in ('PENDING', 'ASSIGNED', 'IN_PROGRESS') do nothing
"""


@asset(
    key="nps_surveys",
    group_name="feedback",
    partitions_def=tenant_partitions,
    backfill_policy=BackfillPolicy.single_run(),
    deps=[
        get_asset_key_for_model([dbt_evaluation], "fct_nps_dispatch"),
        get_asset_key_for_model([dbt_detection], "fct_nps_answers"),
    ],
    description=(
        "feedback:nps:send: due NPS surveys sent through the channel (outbox) or skipped under "
        "the frequency cap; answers recorded with their category; a recent detractor answer "
        "(0-6) opens an NPS_DETRACTOR_FOLLOWUP HITL task."
    ),
)
def nps_surveys(
    context: AssetExecutionContext, database: CerniqDatabase, channel: ChannelAdapter
) -> MaterializeResult:
    marts = {"dispatch": "fct_nps_dispatch", "answers": "fct_nps_answers"}
    with write_back(context, database) as (conn, scope):
        due = sql.SQL(SURVEYS_TO_SEND).format(dispatch=mart("fct_nps_dispatch"))
        sent = channel.send(conn, due, MARK_SENT, scope.params)
        skipped = count(conn, SKIP_CAPPED, scope, **marts)
        recorded = count(conn, RECORD_ANSWERS, scope, **marts)
        followups = conn.execute(
            sql.SQL(OPEN_DETRACTOR_FOLLOWUPS).format(
                candidates=stage(
                    conn,
                    "detractors_without_followup",
                    DETRACTORS_WITHOUT_FOLLOWUP,
                    scope.params,
                    answers="fct_nps_answers",
                ),
                sla_deadlines=sql.SQL(SLA_DEADLINES),
                policy_join=sql.SQL(SLA_POLICY_JOIN).format(
                    policy=mart("int_tenant_hitl_sla_policy"), candidate=sql.SQL("c")
                ),
            ),
            scope.params,
        ).rowcount
    return MaterializeResult(
        metadata={
            "surveys_sent": sent,
            "surveys_skipped_frequency_cap": skipped,
            "answers_recorded": recorded,
            "detractor_followup_tasks_opened": followups,
        }
    )
