"""The HITL churn task of one client (`hitl:churn:intervention`, `churn:risk:escalate`): SPEC §4
allows one open churn task per client; a later cause raises its priority instead of opening
another."""

import datetime as dt
import json
from decimal import Decimal
from uuid import UUID

import psycopg

from benchmarks.baseline.context import RunContext
from benchmarks.baseline.params import RiskBand
from dagster_cerniq.defs.hitl.tasks import CHURN_TASK_TYPES

OPEN_CHURN_TASK = """
    select id, priority from gold_hitl_tasks_e5
    where tenant_id = %s and client_id = %s and task_type = any(%s)
      and cerniq_hitl_task_is_open(status)
"""

RAISE_TASK = """
    update gold_hitl_tasks_e5 set
        priority = %(priority)s,
        sla_deadline = least(sla_deadline, %(deadline)s),
        sla_warning_at = least(sla_warning_at, %(warning)s),
        escalation_level = escalation_level + 1,
        escalated_at = %(logical_time)s,
        escalation_reason = %(reason)s,
        updated_at = now()
    where id = %(id)s
"""

OPEN_TASK = """
    insert into gold_hitl_tasks_e5 (
        tenant_id, task_type, priority, sla_deadline, sla_warning_at, sla_status, client_id,
        entity_type, entity_id, assigned_to, assigned_at, assignment_method, context, status,
        source_worker, created_at, updated_at)
    select %(tenant)s, %(task_type)s, %(priority)s, %(deadline)s, %(warning)s, 'OK',
           %(client)s, 'CLIENT', %(client)s, s.assigned_account_manager,
           case when s.assigned_account_manager is not null then %(logical_time)s end,
           case when s.assigned_account_manager is not null then 'ACCOUNT_MANAGER' end,
           %(context)s,
           case when s.assigned_account_manager is not null then 'ASSIGNED' else 'PENDING' end,
           %(source_worker)s, now(), now()
    from gold_nurturing_state s
    where s.tenant_id = %(tenant)s and s.client_id = %(client)s
"""


def open_or_raise_churn_task(
    conn: psycopg.Connection,
    ctx: RunContext,
    tenant_id: UUID,
    client_id: UUID,
    *,
    task_type: str,
    source_worker: str,
    band: RiskBand,
    score: Decimal,
    strongest_signal_type: str | None,
    strongest_signal_evidence: str | None,
    breakdown: dict,
    reason: str,
) -> None:
    sla = ctx.params.sla[band.hitl_priority]
    values = {
        "priority": band.hitl_priority,
        "deadline": ctx.logical_time + dt.timedelta(hours=float(sla.sla_hours)),
        "warning": ctx.logical_time + dt.timedelta(hours=float(sla.warning_hours)),
        "logical_time": ctx.logical_time,
        "reason": reason,
    }
    open_tasks = conn.execute(
        OPEN_CHURN_TASK, (tenant_id, client_id, list(CHURN_TASK_TYPES))
    ).fetchall()
    if open_tasks:
        for task_id, priority in open_tasks:
            if sla.rank > ctx.params.sla[priority].rank:
                conn.execute(RAISE_TASK, {**values, "id": task_id})
        return
    context = {
        "reason": reason,
        "risk_level": band.risk_level,
        "churn_score": score,
        "strongest_signal_type": strongest_signal_type,
        "strongest_signal_evidence": strongest_signal_evidence,
        "factor_breakdown": breakdown,
        "as_of": ctx.as_of.isoformat(),
    }
    conn.execute(
        OPEN_TASK,
        {
            **values,
            "tenant": tenant_id,
            "client": client_id,
            "task_type": task_type,
            "source_worker": source_worker,
            "context": json.dumps(context, default=str),
        },
    )
