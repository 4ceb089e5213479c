"""Lifecycle write-back: states created at the first completed order with their order, NPS
and referral mirrors, the POST_ORDER surveys and the onboarding sequence (A1); transitions with
their audit rows and follow-ups (A6)."""

from dagster import AssetExecutionContext, BackfillPolicy, MaterializeResult, MetadataValue, asset
from dagster_dbt import get_asset_key_for_model

from dagster_cerniq.analytics import dbt_detection, dbt_evaluation
from dagster_cerniq.hitl import open_or_raise_churn_tasks
from dagster_cerniq.onboarding import advance_onboarding
from dagster_cerniq.outbox import ChannelAdapter
from dagster_cerniq.resources import CerniqDatabase
from dagster_cerniq.tenants import tenant_partitions
from dagster_cerniq.write_back import execute, stage, write_back

# SPEC §4: creation is not a transition; the state starts at the first completed delivery.
# New states get their NPS and referral mirrors and, when the onboarding sequence has already
# run out, its completion here too, so that a first load writes each state once instead of
# inserting and then updating a million rows.
CREATE_STATES = """
    insert into gold_nurturing_state (
        tenant_id, client_id, current_state, state_changed_at, onboarding_started_at,
        first_order_at, last_order_at, total_orders, total_revenue, average_order_value,
        order_frequency_days, days_since_last_order, assigned_account_manager,
        nps_score, nps_category, satisfaction_trend, last_nps_survey_at, referral_count,
        successful_referrals, onboarding_completed_at)
    select
        m.tenant_id, m.client_id, 'ONBOARDING', %(logical_time)s, m.first_order_at,
        m.first_order_at, m.last_order_at, m.total_orders, m.total_revenue,
        m.average_order_value, m.order_frequency_days, m.days_since_last_order,
        c.account_manager_id,
        n.latest_nps_score, n.nps_category, n.satisfaction_trend, n.last_responded_at,
        coalesce(r.referral_count, 0), coalesce(r.successful_referrals, 0),
        p.onboarding_completed_at
    from {metrics} m
    join gold_clients c on c.id = m.client_id
    left join {nps} n on n.tenant_id = m.tenant_id and n.client_id = m.client_id
    left join {referrals} r on r.tenant_id = m.tenant_id and r.client_id = m.client_id
    left join {progress} p on p.tenant_id = m.tenant_id and p.client_id = m.client_id
    where m.tenant_id = any(%(tenants)s::uuid[])
    on conflict (tenant_id, client_id) do nothing
"""

REFRESH_MIRRORS = """
    update gold_nurturing_state s set
        first_order_at = m.first_order_at,
        last_order_at = m.last_order_at,
        total_orders = m.total_orders,
        total_revenue = m.total_revenue,
        average_order_value = m.average_order_value,
        order_frequency_days = m.order_frequency_days,
        days_since_last_order = m.days_since_last_order,
        nps_score = n.latest_nps_score,
        nps_category = n.nps_category,
        satisfaction_trend = n.satisfaction_trend,
        last_nps_survey_at = n.last_responded_at,
        referral_count = coalesce(r.referral_count, 0),
        successful_referrals = coalesce(r.successful_referrals, 0),
        updated_at = now()
    from {metrics} m
    left join {nps} n on n.tenant_id = m.tenant_id and n.client_id = m.client_id
    left join {referrals} r on r.tenant_id = m.tenant_id and r.client_id = m.client_id
    where m.tenant_id = any(%(tenants)s::uuid[])
      and s.tenant_id = m.tenant_id and s.client_id = m.client_id
      and (s.first_order_at, s.last_order_at, s.total_orders, s.total_revenue,
           s.average_order_value, s.order_frequency_days, s.days_since_last_order,
           s.nps_score, s.nps_category, s.satisfaction_trend, s.last_nps_survey_at,
           s.referral_count, s.successful_referrals)
          is distinct from
          (m.first_order_at, m.last_order_at, m.total_orders, m.total_revenue,
           m.average_order_value, m.order_frequency_days, m.days_since_last_order,
           n.latest_nps_score, n.nps_category, n.satisfaction_trend, n.last_responded_at,
           coalesce(r.referral_count, 0), coalesce(r.successful_referrals, 0))
"""

SURVEYS_TO_SCHEDULE = """
    select d.*, s.id as state_id, coalesce(s.preferred_channel, 'EMAIL') as channel,
           gen_random_uuid() as survey_id, gen_random_uuid() as action_id
    from {surveys_due} d
    join gold_nurturing_state s on s.tenant_id = d.tenant_id and s.client_id = d.client_id
    where d.tenant_id = any(%(tenants)s::uuid[])
      and not exists (
          select 1 from gold_nps_surveys n
          where n.tenant_id = d.tenant_id and n.order_id = d.order_id
            and n.survey_type = d.survey_type)
"""

# One statement: the action and its survey reference each other and land together.
SCHEDULE_SURVEYS = """
    with actions as (
        insert into gold_nurturing_actions (
            id, tenant_id, nurturing_state_id, client_id, action_type, action_category,
            trigger_type, trigger_event, trigger_data, channel, status, scheduled_at,
            correlation_id, batch_id)
        select action_id, tenant_id, state_id, client_id, 'NPS_SURVEY', 'FEEDBACK', 'EVENT',
               'ORDER_COMPLETED',
               jsonb_build_object('order_id', order_id, 'survey_type', survey_type),
               channel, 'SCHEDULED', scheduled_at, survey_id, %(batch_id)s
        from {due}
    )
    insert into gold_nps_surveys (
        id, tenant_id, client_id, nurturing_state_id, order_id, survey_type, channel, status,
        scheduled_at, nurturing_action_id)
    select survey_id, tenant_id, client_id, state_id, order_id, survey_type, channel,
           'SCHEDULED', scheduled_at, action_id
    from {due}
"""


@asset(
    key="nurturing_state",
    group_name="lifecycle",
    partitions_def=tenant_partitions,
    backfill_policy=BackfillPolicy.single_run(),
    deps=[
        get_asset_key_for_model([dbt_detection], model)
        for model in (
            "fct_client_order_metrics",
            "fct_client_nps",
            "fct_nps_surveys_due",
            "int_client_referrals",
            "fct_onboarding_drips",
            "fct_onboarding_progress",
        )
    ],
    description=(
        "A1: a state in ONBOARDING at a client's first completed order; order, NPS and "
        "referral mirrors refreshed; one POST_ORDER NPS survey per completed order; the "
        "onboarding sequence scheduled, sent as due, and onboarding_completed_at set at its end."
    ),
)
def nurturing_state(
    context: AssetExecutionContext, database: CerniqDatabase, channel: ChannelAdapter
) -> MaterializeResult:
    marts = {
        "metrics": "fct_client_order_metrics",
        "nps": "fct_client_nps",
        "referrals": "int_client_referrals",
        "surveys_due": "fct_nps_surveys_due",
        "progress": "fct_onboarding_progress",
    }
    with write_back(context, database) as (conn, scope):
        created = execute(conn, CREATE_STATES, scope, **marts)
        refreshed = execute(conn, REFRESH_MIRRORS, scope, **marts)
        due = stage(conn, "surveys_to_schedule", SURVEYS_TO_SCHEDULE, scope.params, **marts)
        surveys = execute(conn, SCHEDULE_SURVEYS, scope, due=due)
        onboarding = advance_onboarding(conn, scope, channel)
        states = conn.execute(
            "select current_state::text, count(*) from gold_nurturing_state "
            "where tenant_id = any(%s::uuid[]) group by 1 order by 1",
            (scope.tenant_ids,),
        ).fetchall()
    return MaterializeResult(
        metadata={
            "states_created": created,
            "states_refreshed": refreshed,
            "nps_surveys_scheduled": surveys,
            "onboarding_steps_scheduled": onboarding.steps_scheduled,
            "onboarding_steps_sent": onboarding.steps_sent,
            "onboarding_steps_skipped_or_cancelled": onboarding.steps_closed,
            "onboardings_completed": onboarding.completed,
            "states": MetadataValue.json(dict(states)),
        }
    )


# Only if the state is still the one evaluated: a concurrent run's move wins, this one no-ops.
APPLY_TRANSITIONS = """
    with proposed as (
        select e.* from {eligibility} e
        where e.tenant_id = any(%(tenants)s::uuid[]) and e.proposed_state is not null
    ),
    moved as (
        update gold_nurturing_state s set
            previous_state = s.current_state,
            current_state = p.proposed_state::nurturing_state_enum,
            state_changed_at = %(logical_time)s,
            is_advocate = s.is_advocate or p.proposed_state = 'ADVOCATE',
            advocate_since = case when p.proposed_state = 'ADVOCATE'
                                  then coalesce(s.advocate_since, %(logical_time)s)
                                  else s.advocate_since end,
            updated_at = now()
        from proposed p
        where s.tenant_id = p.tenant_id and s.client_id = p.client_id
          and s.current_state::text = p.current_state
        returning s.id, s.tenant_id, s.client_id, p.current_state, p.proposed_state,
                  p.transition_reason
    )
    insert into gold_nurturing_actions (
        tenant_id, nurturing_state_id, client_id, action_type, action_category, trigger_type,
        trigger_event, trigger_data, channel, status, executed_at, batch_id)
    select tenant_id, id, client_id, 'STATE_TRANSITION', 'SYSTEM', 'EVENT',
           current_state || ' -> ' || proposed_state,
           jsonb_build_object('reason', transition_reason, 'from_state', current_state,
                              'to_state', proposed_state, 'as_of', %(as_of)s::text),
           'SYSTEM', 'COMPLETED', %(logical_time)s, %(batch_id)s
    from moved
"""

TRANSITIONED_TO = """
    select a.tenant_id, a.client_id, a.nurturing_state_id
    from gold_nurturing_actions a
    where a.batch_id = %(batch_id)s and a.action_type = 'STATE_TRANSITION'
      and a.trigger_data ->> 'to_state' = '{state}'
"""

AT_RISK_TASK_CANDIDATES = f"""
    select f.tenant_id, f.client_id, f.risk_level, f.churn_score, f.hitl_priority as priority,
           f.strongest_signal_type, f.strongest_signal_evidence, f.factor_breakdown,
           'Entered AT_RISK: churn score ' || f.churn_score as reason
    from ({TRANSITIONED_TO.format(state="AT_RISK")}) moved
    join {{scores}} f on f.tenant_id = moved.tenant_id and f.client_id = moved.client_id
"""

REFERRAL_ELIGIBILITY = f"""
    insert into gold_nurturing_actions (
        tenant_id, nurturing_state_id, client_id, action_type, action_category, trigger_type,
        trigger_event, channel, status, scheduled_at, batch_id)
    select moved.tenant_id, moved.nurturing_state_id, moved.client_id,
           'REFERRAL_ELIGIBILITY_CHECK', 'REFERRAL', 'EVENT', 'STATE_LOYAL_CLIENT', 'SYSTEM',
           'PENDING', %(logical_time)s, %(batch_id)s
    from ({TRANSITIONED_TO.format(state="LOYAL_CLIENT")}) moved
"""

PROMOTE_ADVOCATES = f"""
    insert into gold_kol_profiles (
        tenant_id, client_id, nurturing_state_id, kol_score, kol_tier, score_components,
        successful_referrals, nps_score, total_revenue, tenure_days, promoted_at)
    select k.tenant_id, k.client_id, moved.nurturing_state_id, k.kol_score, k.kol_tier,
           k.score_components, k.successful_referrals, k.latest_nps_score, k.total_revenue,
           k.tenure_days, %(logical_time)s
    from ({TRANSITIONED_TO.format(state="ADVOCATE")}) moved
    join {{kol}} k on k.tenant_id = moved.tenant_id and k.client_id = moved.client_id
    on conflict (tenant_id, client_id) do update set
        is_active = true, deactivated_at = null, kol_score = excluded.kol_score,
        kol_tier = excluded.kol_tier, score_components = excluded.score_components,
        updated_at = now()
"""

MIRROR_KOL_SCORES = """
    update gold_nurturing_state s set kol_score = k.kol_score, updated_at = now()
    from gold_kol_profiles k
    where k.tenant_id = any(%(tenants)s::uuid[]) and k.is_active
      and s.tenant_id = k.tenant_id and s.client_id = k.client_id
      and s.kol_score is distinct from k.kol_score
"""

START_WINBACKS = f"""
    insert into gold_winback_campaigns (
        tenant_id, client_id, nurturing_state_id, triggered_by, status, steps, started_at)
    select moved.tenant_id, moved.client_id, moved.nurturing_state_id, 'CHURN_DETECTED',
           'ACTIVE',
           (select jsonb_agg(to_jsonb(step) order by step.step_number) from {{steps}} step),
           %(logical_time)s
    from ({TRANSITIONED_TO.format(state="CHURNED")}) moved
    on conflict (tenant_id, client_id) where status = 'ACTIVE' do nothing
"""

CLOSE_WINBACKS = f"""
    update gold_winback_campaigns w set
        status = 'SUCCEEDED', outcome = 'REACTIVATED', ended_at = %(logical_time)s,
        reactivated_at = %(logical_time)s, reactivation_order_id = m.last_order_id,
        updated_at = now()
    from ({TRANSITIONED_TO.format(state="REACTIVATED")}) moved
    join {{metrics}} m on m.tenant_id = moved.tenant_id and m.client_id = moved.client_id
    where w.tenant_id = moved.tenant_id and w.client_id = moved.client_id
      and w.status = 'ACTIVE'
"""


@asset(
    key="state_transitions",
    group_name="lifecycle",
    partitions_def=tenant_partitions,
    backfill_policy=BackfillPolicy.single_run(),
    deps=[
        get_asset_key_for_model([dbt_evaluation], "fct_state_eligibility"),
        get_asset_key_for_model([dbt_detection], "fct_kol_scores"),
        "churn_factors",
    ],
    description=(
        "A6: eligible transitions applied where the state is still the one evaluated, one "
        "STATE_TRANSITION audit row each; AT_RISK opens a churn-intervention task, "
        "LOYAL_CLIENT a referral eligibility check, ADVOCATE a KOL profile, CHURNED a win-back."
    ),
)
def state_transitions(
    context: AssetExecutionContext, database: CerniqDatabase
) -> MaterializeResult:
    marts = {
        "eligibility": "fct_state_eligibility",
        "kol": "fct_kol_scores",
        "metrics": "fct_client_order_metrics",
        "steps": "winback_campaign_steps",
    }
    with write_back(context, database) as (conn, scope):
        transitions = execute(conn, APPLY_TRANSITIONS, scope, **marts)
        interventions = open_or_raise_churn_tasks(
            conn, scope, task_type="CHURN_INTERVENTION", source_worker="hitl:churn:intervention",
            candidates_sql=AT_RISK_TASK_CANDIDATES,
        )  # fmt: skip
        referral_checks = execute(conn, REFERRAL_ELIGIBILITY, scope, **marts)
        profiles = execute(conn, PROMOTE_ADVOCATES, scope, **marts)
        execute(conn, MIRROR_KOL_SCORES, scope, **marts)
        winbacks = execute(conn, START_WINBACKS, scope, **marts)
        reactivations = execute(conn, CLOSE_WINBACKS, scope, **marts)
        by_pair = conn.execute(
            "select trigger_event, count(*) from gold_nurturing_actions "
            "where batch_id = %s and action_type = 'STATE_TRANSITION' group by 1 order by 1",
            (scope.batch_id,),
        ).fetchall()
    return MaterializeResult(
        metadata={
            "transitions": transitions,
            "transitions_by_pair": MetadataValue.json(dict(by_pair)),
            "churn_intervention_tasks_opened": interventions.opened,
            "churn_tasks_raised": interventions.raised,
            "referral_eligibility_checks": referral_checks,
            "kol_profiles_written": profiles,
            "winback_campaigns_started": winbacks,
            "winback_campaigns_won": reactivations,
        }
    )
