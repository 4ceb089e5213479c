"""Human-in-the-loop tasks (gold_hitl_tasks_e5) opened by the churn and lifecycle steps.

A client has at most one open churn task, whichever step opened it (SPEC §4): a later cause
raises that task's priority and escalation level instead of opening another. The database
holds at most one open task per client and type (migration 009).
"""

from __future__ import annotations

from dataclasses import dataclass

import psycopg

from dagster_cerniq.write_back import RunScope, mart

OPEN_STATUSES = ("PENDING", "ASSIGNED", "IN_PROGRESS")
CHURN_TASK_TYPES = ("CHURN_INTERVENTION", "CHURN_ESCALATION")


@dataclass(frozen=True)
class TaskChanges:
    opened: int
    raised: int


def open_or_raise_churn_tasks(
    conn: psycopg.Connection,
    scope: RunScope,
    task_type: str,
    source_worker: str,
    candidates_sql: str,
) -> TaskChanges:
    """For each candidate row (tenant_id, client_id, risk_level, churn_score, hitl_priority,
    sla_hours, sla_warning_hours, strongest_signal_type, strongest_signal_evidence,
    factor_breakdown, reason): raise the client's open churn task when the new priority is
    higher, or open a `task_type` task when it has none. Priorities rank as the risk bands do.
    """
    params = {
        **scope.params,
        "open_statuses": list(OPEN_STATUSES),
        "churn_types": list(CHURN_TASK_TYPES),
        "task_type": task_type,
        "source_worker": source_worker,
    }
    candidates = psycopg.sql.SQL(candidates_sql).format(scores=mart("fct_churn_scores"))
    bands = mart("churn_risk_bands")
    raise_query = psycopg.sql.SQL(
        """
        with candidates as ({candidates})
        update gold_hitl_tasks_e5 t set
            priority = c.hitl_priority,
            sla_deadline = least(t.sla_deadline,
                                 %(logical_time)s + interval '1 hour' * c.sla_hours),
            sla_warning_at = least(t.sla_warning_at,
                                   %(logical_time)s + interval '1 hour' * c.sla_warning_hours),
            escalation_level = t.escalation_level + 1,
            escalated_at = %(logical_time)s,
            escalation_reason = c.reason,
            updated_at = now()
        from candidates c, {bands} new_band, {bands} old_band
        where t.tenant_id = c.tenant_id and t.client_id = c.client_id
          and t.task_type = any(%(churn_types)s) and t.status = any(%(open_statuses)s)
          and new_band.hitl_priority = c.hitl_priority and old_band.hitl_priority = t.priority
          and new_band.min_score > old_band.min_score
        """
    ).format(candidates=candidates, bands=bands)
    open_query = psycopg.sql.SQL(
        """
        with candidates as ({candidates})
        insert into gold_hitl_tasks_e5 (
            tenant_id, task_type, priority, sla_deadline, sla_warning_at, sla_status,
            client_id, entity_type, entity_id, assigned_to, assigned_at, assignment_method,
            context, status, correlation_id, source_worker, created_at, updated_at)
        select
            c.tenant_id, %(task_type)s, c.hitl_priority,
            %(logical_time)s + interval '1 hour' * c.sla_hours,
            %(logical_time)s + interval '1 hour' * c.sla_warning_hours,
            'OK', c.client_id, 'CLIENT', c.client_id,
            s.assigned_account_manager,
            case when s.assigned_account_manager is not null then %(logical_time)s end,
            case when s.assigned_account_manager is not null then 'ACCOUNT_MANAGER' end,
            jsonb_build_object(
                'reason', c.reason, 'risk_level', c.risk_level, 'churn_score', c.churn_score,
                'strongest_signal_type', c.strongest_signal_type,
                'strongest_signal_evidence', c.strongest_signal_evidence,
                'factor_breakdown', c.factor_breakdown, 'as_of', %(as_of)s::text),
            case when s.assigned_account_manager is not null then 'ASSIGNED' else 'PENDING' end,
            %(batch_id)s, %(source_worker)s, now(), now()
        from candidates c
        left join gold_nurturing_state s on s.tenant_id = c.tenant_id and s.client_id = c.client_id
        where not exists (
            select 1 from gold_hitl_tasks_e5 t
            where t.tenant_id = c.tenant_id and t.client_id = c.client_id
              and t.task_type = any(%(churn_types)s) and t.status = any(%(open_statuses)s)
        )
        -- The predicate is migration 009's index predicate, literally: PostgreSQL infers the
        -- partial unique index from it (OPEN_STATUSES as a parameter would not match).
        on conflict (tenant_id, client_id, task_type)
            where status in ('PENDING', 'ASSIGNED', 'IN_PROGRESS') do nothing
        """
    ).format(candidates=candidates)
    raised = conn.execute(raise_query, params).rowcount
    opened = conn.execute(open_query, params).rowcount
    return TaskChanges(opened=opened, raised=raised)
