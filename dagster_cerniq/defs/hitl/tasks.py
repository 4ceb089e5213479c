"""Opening HITL tasks (gold_hitl_tasks_e5), the one way every step does it: churn intervention
(A6, entering AT_RISK), churn escalation (B10) and NPS detractor follow-up alike.

A client has at most one open task of a family (SPEC §4): both churn types are one family, so
a later churn cause raises the open churn task's priority and escalation level instead of
opening another. The database holds at most one open task per client and type (migrations 009
and 012), and which statuses are open is the database function cerniq_hitl_task_is_open.
"""

from dataclasses import dataclass

import psycopg

from dagster_cerniq.lib.write_back import Reads, RunScope, execute, stage, statements

CHURN_TASK_TYPES = ("CHURN_INTERVENTION", "CHURN_ESCALATION")

READS = Reads(
    models=(
        "int_tenant_hitl_sla_policy",
        # The evidence of a churn task's top factors.
        "int_client_orders",
        "stg_cerniq__orders",
        "fct_client_nps",
    ),
    after=("churn_signals",),
)
SQL = statements(__file__, READS)
ADD_CHURN_TOP_FACTORS = SQL("add_churn_top_factors")
PLAN_TASK_CANDIDATES = SQL("plan_task_candidates")
RAISE_OPEN_TASKS = SQL("raise_open_tasks")
OPEN_TASKS = SQL("open_tasks")

# The temporary table a step stages its candidates in before calling open_or_raise_tasks, with
# these columns (context: the task's jsonb context; `reason` and `as_of` are added to it; a
# churn candidate's holds the client's factor_breakdown, from which its top_factors are drawn).
CANDIDATES_TABLE = "hitl_task_candidates"
CANDIDATE_COLUMNS = (
    "tenant_id", "client_id", "priority", "entity_type", "entity_id", "reason", "context",
)  # fmt: skip


@dataclass(frozen=True)
class TaskChanges:
    opened: int
    raised: int


def task_family(task_type: str) -> tuple[str, ...]:
    """The task types a client may have only one open task of, together with `task_type`."""
    return CHURN_TASK_TYPES if task_type in CHURN_TASK_TYPES else (task_type,)


def open_or_raise_tasks(
    conn: psycopg.Connection, scope: RunScope, *, task_type: str, source_worker: str
) -> TaskChanges:
    """For each row of hitl_task_candidates (CANDIDATE_COLUMNS): raise the client's open task
    of the family when the new priority ranks higher (its context refreshed), or open a
    `task_type` task with the SLA of its priority when it has none. Churn tasks carry their
    top factors with evidence."""
    params = {
        "task_type": task_type,
        "task_family": list(task_family(task_type)),
        "source_worker": source_worker,
    }
    if task_type in CHURN_TASK_TYPES:
        execute(conn, ADD_CHURN_TOP_FACTORS, scope)
    stage(conn, "hitl_task_plan", PLAN_TASK_CANDIDATES, scope, **params)
    raised = execute(conn, RAISE_OPEN_TASKS, scope, **params)
    opened = execute(conn, OPEN_TASKS, scope, **params)
    return TaskChanges(opened=opened, raised=raised)
