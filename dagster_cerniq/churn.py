"""Churn write-back: detected signals into gold_churn_signals (B9), scores into
gold_churn_factors and the state's churn fields, escalations as HITL tasks (B10).

The rules live in the dbt marts; these statements only make the stored rows match them, in one
transaction per step, touching nothing that already matches (a rerun rewrites nothing).
"""

from dagster import (
    AssetExecutionContext,
    BackfillPolicy,
    MaterializeResult,
    MetadataValue,
    asset,
)
from dagster_dbt import get_asset_key_for_model

from dagster_cerniq.analytics import dbt_detection, dbt_evaluation
from dagster_cerniq.hitl import open_or_raise_churn_tasks
from dagster_cerniq.resources import CerniqDatabase
from dagster_cerniq.tenants import tenant_partitions
from dagster_cerniq.write_back import execute, write_back

SIGNAL_KEY_MATCH = """
    g.tenant_id = c.tenant_id and g.client_id = c.client_id
    and g.signal_type::text = c.signal_type and g.evidence_source_id = c.evidence_source_id
"""

UPDATE_REDETECTED = f"""
    update gold_churn_signals g set
        strength = c.strength,
        trend_direction = case when c.strength > g.strength then 'INCREASING' else 'DECREASING' end,
        evidence_text = c.evidence_text,
        evidence_details = c.evidence_details,
        updated_at = now()
    from {{candidates}} c
    where c.tenant_id = any(%(tenants)s::uuid[]) and c.is_active
      and {SIGNAL_KEY_MATCH}
      and not g.is_resolved
      and g.strength is distinct from c.strength
"""

# A signal the pipeline resolved whose condition holds again is the same signal recurring.
REOPEN_RECURRING = f"""
    update gold_churn_signals g set
        is_resolved = false,
        resolved_at = null,
        resolution_type = null,
        is_recurring = true,
        occurrence_count = g.occurrence_count + 1,
        strength = c.strength,
        evidence_text = c.evidence_text,
        evidence_details = c.evidence_details,
        updated_at = now()
    from {{candidates}} c
    where c.tenant_id = any(%(tenants)s::uuid[]) and c.is_active
      and {SIGNAL_KEY_MATCH}
      and g.id = (
          select latest.id from gold_churn_signals latest
          where latest.tenant_id = c.tenant_id and latest.client_id = c.client_id
            and latest.signal_type::text = c.signal_type
            and latest.evidence_source_id = c.evidence_source_id
          order by latest.is_resolved, latest.resolved_at desc nulls last, latest.id
          limit 1
      )
      and g.is_resolved
"""

INSERT_NEW = f"""
    insert into gold_churn_signals (
        tenant_id, client_id, nurturing_state_id, signal_type, signal_category, strength,
        confidence, detected_at, detection_method, detection_source, evidence_source_type,
        evidence_source_id, evidence_details, evidence_text, first_occurrence_at, trend_direction)
    select
        c.tenant_id, c.client_id, s.id, c.signal_type::churn_signal_type_enum, c.signal_category,
        c.strength, c.confidence, %(logical_time)s, 'RULE_BASED', c.evidence_source_type,
        c.evidence_source_type, c.evidence_source_id, c.evidence_details, c.evidence_text,
        c.evidence_at, 'NEW'
    from {{candidates}} c
    left join gold_nurturing_state s on s.tenant_id = c.tenant_id and s.client_id = c.client_id
    where c.tenant_id = any(%(tenants)s::uuid[]) and c.is_active
      and not exists (select 1 from gold_churn_signals g where {SIGNAL_KEY_MATCH})
    on conflict (tenant_id, client_id, signal_type, evidence_source_id)
        where is_resolved = false do nothing
"""

# A message's content signals only clear by leaving the lookback window: they expire.
RESOLVE_CLEARED = f"""
    update gold_churn_signals g set
        is_resolved = true,
        resolved_at = %(logical_time)s,
        resolution_type = case
            when g.evidence_source_type = 'MESSAGE' and g.signal_type <> 'COMMUNICATION_FADE'
                then 'EXPIRED'
            else 'CONDITION_CLEARED'
        end,
        updated_at = now()
    where g.tenant_id = any(%(tenants)s::uuid[])
      and not g.is_resolved
      and not exists (
          select 1 from {{candidates}} c where c.is_active and {SIGNAL_KEY_MATCH}
      )
"""


@asset(
    key="churn_signals",
    group_name="churn",
    partitions_def=tenant_partitions,
    backfill_policy=BackfillPolicy.single_run(),
    deps=[
        get_asset_key_for_model([dbt_detection], "fct_churn_signal_candidates"),
        "nurturing_state",
    ],
    description=(
        "B9: detected churn signals upserted by key into gold_churn_signals; cleared ones resolved."
    ),
)
def churn_signals(context: AssetExecutionContext, database: CerniqDatabase) -> MaterializeResult:
    marts = {"candidates": "fct_churn_signal_candidates"}
    with write_back(context, database) as (conn, scope):
        updated = execute(conn, UPDATE_REDETECTED, scope, **marts)
        reopened = execute(conn, REOPEN_RECURRING, scope, **marts)
        inserted = execute(conn, INSERT_NEW, scope, **marts)
        resolved = execute(conn, RESOLVE_CLEARED, scope, **marts)
        active = conn.execute(
            "select signal_type::text, count(*) from gold_churn_signals "
            "where tenant_id = any(%s::uuid[]) and not is_resolved group by 1 order by 1",
            (scope.tenant_ids,),
        ).fetchall()
    return MaterializeResult(
        metadata={
            "signals_inserted": inserted,
            "signals_updated": updated,
            "signals_reopened": reopened,
            "signals_resolved": resolved,
            "active_signals_by_type": MetadataValue.json(dict(active)),
        }
    )


UPSERT_FACTORS = """
    insert into gold_churn_factors (
        tenant_id, client_id, overall_churn_score, risk_level, communication_score,
        sentiment_score, order_frequency_score, payment_behavior_score, engagement_score,
        support_score, factor_breakdown, days_since_last_order, active_signal_count,
        strongest_signal_type, strongest_signal_strength, segment, calculated_at)
    select
        f.tenant_id, f.client_id, f.churn_score, f.risk_level,
        (f.factor_breakdown -> 'COMMUNICATION_FADE' ->> 'value')::numeric,
        (f.factor_breakdown -> 'NEGATIVE_SENTIMENT' ->> 'value')::numeric,
        (f.factor_breakdown -> 'ORDER_FREQUENCY_DROP' ->> 'value')::numeric,
        (f.factor_breakdown -> 'PAYMENT_DELAY' ->> 'value')::numeric,
        (f.factor_breakdown -> 'DAYS_INACTIVE' ->> 'value')::numeric,
        (f.factor_breakdown -> 'SUPPORT_ESCALATION' ->> 'value')::numeric,
        f.factor_breakdown, f.days_since_last_order, f.active_signal_count,
        f.strongest_signal_type::churn_signal_type_enum, f.strongest_signal_strength,
        c.segment, %(logical_time)s
    from {scores} f
    join gold_clients c on c.id = f.client_id
    where f.tenant_id = any(%(tenants)s::uuid[])
    on conflict (tenant_id, client_id) do update set
        overall_churn_score = excluded.overall_churn_score,
        risk_level = excluded.risk_level,
        communication_score = excluded.communication_score,
        sentiment_score = excluded.sentiment_score,
        order_frequency_score = excluded.order_frequency_score,
        payment_behavior_score = excluded.payment_behavior_score,
        engagement_score = excluded.engagement_score,
        support_score = excluded.support_score,
        factor_breakdown = excluded.factor_breakdown,
        days_since_last_order = excluded.days_since_last_order,
        active_signal_count = excluded.active_signal_count,
        strongest_signal_type = excluded.strongest_signal_type,
        strongest_signal_strength = excluded.strongest_signal_strength,
        segment = excluded.segment,
        calculated_at = excluded.calculated_at,
        updated_at = now()
    where (gold_churn_factors.overall_churn_score, gold_churn_factors.risk_level,
           gold_churn_factors.factor_breakdown, gold_churn_factors.days_since_last_order,
           gold_churn_factors.active_signal_count, gold_churn_factors.strongest_signal_type,
           gold_churn_factors.strongest_signal_strength, gold_churn_factors.segment)
        is distinct from
          (excluded.overall_churn_score, excluded.risk_level, excluded.factor_breakdown,
           excluded.days_since_last_order, excluded.active_signal_count,
           excluded.strongest_signal_type, excluded.strongest_signal_strength, excluded.segment)
"""

# B10 step 8: the state mirrors the score; at_risk_since starts when the client becomes at risk.
UPDATE_STATE_CHURN_FIELDS = """
    update gold_nurturing_state s set
        churn_risk_score = f.churn_score,
        churn_risk_level = f.risk_level,
        is_at_risk = f.is_at_risk,
        at_risk_since = case when f.is_at_risk then coalesce(s.at_risk_since, %(logical_time)s) end,
        days_since_last_order = f.days_since_last_order,
        updated_at = now()
    from {scores} f
    where f.tenant_id = any(%(tenants)s::uuid[])
      and s.tenant_id = f.tenant_id and s.client_id = f.client_id
      and (s.churn_risk_score, s.churn_risk_level, s.is_at_risk, s.days_since_last_order,
           s.at_risk_since is null)
          is distinct from
          (f.churn_score, f.risk_level, f.is_at_risk, f.days_since_last_order, not f.is_at_risk)
"""


@asset(
    key="churn_factors",
    group_name="churn",
    partitions_def=tenant_partitions,
    backfill_policy=BackfillPolicy.single_run(),
    deps=[get_asset_key_for_model([dbt_evaluation], "fct_churn_scores")],
    description=(
        "B10: churn scores upserted into gold_churn_factors and the state's churn fields; "
        "CRITICAL or newly HIGH clients escalated to a HITL task."
    ),
)
def churn_factors(context: AssetExecutionContext, database: CerniqDatabase) -> MaterializeResult:
    marts = {"scores": "fct_churn_scores"}
    with write_back(context, database) as (conn, scope):
        factors = execute(conn, UPSERT_FACTORS, scope, **marts)
        escalations = open_or_raise_churn_tasks(
            conn, scope, task_type="CHURN_ESCALATION", source_worker="churn:risk:escalate",
            candidates_sql="""
                select f.tenant_id, f.client_id, f.risk_level, f.churn_score,
                       f.hitl_priority as priority, f.strongest_signal_type,
                       f.strongest_signal_evidence, f.factor_breakdown,
                       'Churn risk ' || f.risk_level || ' (score ' || f.churn_score || ')' as reason
                from {scores} f
                where f.tenant_id = any(%(tenants)s::uuid[]) and f.needs_escalation
            """,
        )  # fmt: skip
        states = execute(conn, UPDATE_STATE_CHURN_FIELDS, scope, **marts)
        levels = conn.execute(
            "select risk_level, count(*) from gold_churn_factors "
            "where tenant_id = any(%s::uuid[]) group by 1 order by 1",
            (scope.tenant_ids,),
        ).fetchall()
        top = conn.execute(
            "select f.client_id::text, c.company_name, f.overall_churn_score, f.risk_level, "
            "f.strongest_signal_type::text from gold_churn_factors f "
            "join gold_clients c on c.id = f.client_id "
            "where f.tenant_id = any(%s::uuid[]) "
            "order by f.overall_churn_score desc, f.client_id limit 10",
            (scope.tenant_ids,),
        ).fetchall()
    return MaterializeResult(
        metadata={
            "factor_rows_written": factors,
            "state_rows_updated": states,
            "escalation_tasks_opened": escalations.opened,
            "escalation_tasks_raised": escalations.raised,
            "risk_levels": MetadataValue.json(dict(levels)),
            "top_at_risk": MetadataValue.md(
                "| client | score | level | strongest signal |\n|---|---|---|---|\n"
                + "\n".join(f"| {name} | {score} | {level} | {signal or '-'} |"
                            for _, name, score, level, signal in top)
            ),
        }
    )  # fmt: skip
