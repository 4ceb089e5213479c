"""The HITL task clock (gold_hitl_tasks_e5), after the steps that open tasks, and alone every 15
minutes: churn tasks whose risk cleared closed; open tasks ranked into each tenant's work queue
by expected loss; open tasks assigned in queue order (the client's account manager, else the
least-loaded active user), none beyond a user's capacity, the rest left in the pool; SLA clocks
advanced OK -> WARNING -> BREACHED; breaches escalated to a user with an escalation role."""

from dataclasses import dataclass

import psycopg
from dagster import AssetExecutionContext, MaterializeResult, MetadataValue

from dagster_cerniq.defs.hitl.tasks import CHURN_TASK_TYPES
from dagster_cerniq.defs.write_back_asset import write_back_asset
from dagster_cerniq.lib.resources import CerniqDatabase
from dagster_cerniq.lib.run_dates import BUSINESS_TIMEZONE
from dagster_cerniq.lib.write_back import (
    Reads,
    RunScope,
    execute,
    fetch,
    statements,
    write_back,
)

READS = Reads(
    models=("fct_state_eligibility", "int_tenant_lifecycle_settings"),
    # churn_prediction: the work queue's expected loss (cerniq_churn_predictions).
    after=(
        "state_transitions",
        "churn_factors",
        "churn_prediction",
        "nps_surveys",
        "referral_requests",
    ),
)
SQL = statements(__file__, READS)
CLOSE_CLEARED_CHURN_TASKS = SQL("close_cleared_churn_tasks")
RANK_WORK_QUEUE = SQL("rank_work_queue")
ASSIGN_TO_ACCOUNT_MANAGERS = SQL("assign_to_account_managers")
ASSIGN_TO_LEAST_LOADED = SQL("assign_to_least_loaded")
ADVANCE_SLA_CLOCK = SQL("advance_sla_clock")
ESCALATE_BREACHES = SQL("escalate_breaches")
OPEN_TASKS_BY_TYPE_AND_SLA = SQL("open_tasks_by_type_and_sla")
WORK_QUEUE_TOP = SQL("work_queue_top")
WORK_QUEUE_TOP_ROWS = 10


@dataclass(frozen=True)
class ClockChanges:
    closed: int
    requeued: int  # tasks whose rank, expected loss or prediction changed
    assigned_to_account_managers: int
    assigned_to_least_loaded: int
    warnings: int
    breaches: int


def run_hitl_clock(conn: psycopg.Connection, scope: RunScope) -> ClockChanges:
    """Close cleared churn tasks, rank the open ones into the work queue, assign them in queue
    order within capacity, advance SLA clocks, escalate breaches."""
    churn_task_types = list(CHURN_TASK_TYPES)
    closed = execute(conn, CLOSE_CLEARED_CHURN_TASKS, scope, churn_task_types=churn_task_types)
    requeued = execute(conn, RANK_WORK_QUEUE, scope, churn_task_types=churn_task_types)
    by_manager = execute(conn, ASSIGN_TO_ACCOUNT_MANAGERS, scope)
    by_load = execute(conn, ASSIGN_TO_LEAST_LOADED, scope)
    clocked = fetch(conn, ADVANCE_SLA_CLOCK, scope)
    breached = [task_id for task_id, status in clocked if status == "BREACHED"]
    if breached:
        execute(
            conn,
            ESCALATE_BREACHES,
            scope,
            breached=breached,
            business_timezone=str(BUSINESS_TIMEZONE),
        )
    return ClockChanges(
        closed=closed,
        requeued=requeued,
        assigned_to_account_managers=by_manager,
        assigned_to_least_loaded=by_load,
        warnings=sum(status == "WARNING" for _, status in clocked),
        breaches=len(breached),
    )


@write_back_asset(
    key="hitl_tasks",
    worker="hitl",
    reads=READS,
    description=(
        "HITL tasks: churn tasks whose client is no longer at risk closed; open tasks ranked "
        "by expected loss (the work queue) and assigned in that order within each user's "
        "capacity (account manager, else the least-loaded active user), the rest left in the "
        "pool; SLA clock OK -> WARNING -> BREACHED; breaches escalated. Also runs alone every "
        "15 minutes."
    ),
)
def hitl_tasks(context: AssetExecutionContext, database: CerniqDatabase) -> MaterializeResult:
    with write_back(context, database) as (conn, scope):
        changes = run_hitl_clock(conn, scope)
        open_tasks = fetch(conn, OPEN_TASKS_BY_TYPE_AND_SLA, scope)
        queue_top = fetch(conn, WORK_QUEUE_TOP, scope, row_count=WORK_QUEUE_TOP_ROWS)
    return MaterializeResult(
        metadata={
            "tasks_closed_risk_cleared": changes.closed,
            "work_queue_tasks_changed": changes.requeued,
            "tasks_assigned_to_account_managers": changes.assigned_to_account_managers,
            "tasks_assigned_least_loaded": changes.assigned_to_least_loaded,
            "sla_warnings": changes.warnings,
            "sla_breaches_escalated": changes.breaches,
            "open_tasks": MetadataValue.json(
                {f"{task_type} {sla}": count for task_type, sla, count in open_tasks}
            ),
            "work_queue_top": MetadataValue.md(work_queue_table(queue_top)),
        }
    )


def work_queue_table(rows: list[tuple]) -> str:
    """The top of the work queue as a markdown table (assignee "pool": not assigned yet)."""
    lines = [
        "| rank | client | type | churn probability | predicted churn | revenue at risk "
        "| expected loss | assignee |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for rank, client, task_type, probability, churn_date, revenue, loss, assignee in rows:
        lines.append(
            f"| {rank} | {client or '-'} | {task_type} | {percent(probability)} "
            f"| {churn_date or '-'} | {money(revenue)} | {money(loss)} | {assignee or 'pool'} |"
        )
    return "\n".join(lines)


def percent(value: object) -> str:
    return "-" if value is None else f"{value} %"


def money(value: object) -> str:
    return "-" if value is None else f"{value:,.2f} RON"
