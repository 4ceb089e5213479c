"""Human-in-the-loop tasks (gold_hitl_tasks_e5): opened by the churn, lifecycle and feedback
steps with an SLA from their priority; assigned, clocked, escalated and closed here.

A client has at most one open churn task, whichever step opened it (SPEC §4): a later cause
raises that task's priority and escalation level instead of opening another. The database
holds at most one open task per client and type (migration 009).
"""

from dataclasses import dataclass

import psycopg
from dagster import (
    AssetExecutionContext,
    BackfillPolicy,
    DefaultScheduleStatus,
    MaterializeResult,
    MetadataValue,
    ScheduleEvaluationContext,
    asset,
    define_asset_job,
    schedule,
)
from psycopg import sql

from dagster_cerniq.resources import CerniqDatabase
from dagster_cerniq.run_dates import BUSINESS_TIMEZONE
from dagster_cerniq.tenants import every_tenant_run, tenant_partitions
from dagster_cerniq.write_back import RunScope, mart, stage, write_back

OPEN_STATUSES = ("PENDING", "ASSIGNED", "IN_PROGRESS")
CHURN_TASK_TYPES = ("CHURN_INTERVENTION", "CHURN_ESCALATION")

# The SLA of a task opened now with priority `{candidate}.hitl_priority`, from the tenant's
# policy (dbt seed hitl_sla_policy): join `{policy}` as p, then select these two columns.
SLA_POLICY_JOIN = """
    join {policy} p on p.tenant_id = {candidate}.tenant_id and p.priority = {candidate}.priority
"""
SLA_DEADLINES = """
    %(logical_time)s + interval '1 hour' * p.sla_hours,
    %(logical_time)s + interval '1 hour' * p.sla_warning_hours
"""


@dataclass(frozen=True)
class TaskChanges:
    opened: int
    raised: int


def scope_params(scope: RunScope) -> dict[str, object]:
    return {
        **scope.params,
        "open_statuses": list(OPEN_STATUSES),
        "churn_types": list(CHURN_TASK_TYPES),
    }


def open_or_raise_churn_tasks(
    conn: psycopg.Connection,
    scope: RunScope,
    task_type: str,
    source_worker: str,
    candidates_sql: str,
) -> TaskChanges:
    """For each candidate row (tenant_id, client_id, risk_level, churn_score, priority,
    strongest_signal_type, strongest_signal_evidence, factor_breakdown, reason): raise the
    client's open churn task when the new priority ranks higher, or open a `task_type` task
    when it has none. Deadlines only ever move earlier.
    """
    params = {**scope_params(scope), "task_type": task_type, "source_worker": source_worker}
    # Whether the client has an open churn task is decided before anything is written.
    candidates = stage(
        conn,
        "churn_task_candidates",
        f"""
        select c.*, exists (
            select 1 from gold_hitl_tasks_e5 t
            where t.tenant_id = c.tenant_id and t.client_id = c.client_id
              and t.task_type = any(%(churn_types)s) and t.status = any(%(open_statuses)s)
        ) as has_open_churn_task
        from ({candidates_sql}) c
        """,
        params,
        scores="fct_churn_scores",
    )
    policy = mart("int_tenant_hitl_sla_policy")
    raise_query = sql.SQL(
        """
        update gold_hitl_tasks_e5 t set
            priority = c.priority,
            sla_deadline = least(t.sla_deadline,
                                 %(logical_time)s + interval '1 hour' * p.sla_hours),
            sla_warning_at = least(t.sla_warning_at,
                                   %(logical_time)s + interval '1 hour' * p.sla_warning_hours),
            escalation_level = t.escalation_level + 1,
            escalated_at = %(logical_time)s,
            escalation_reason = c.reason,
            updated_at = now()
        from {candidates} c
        {policy_join}
        join {policy} old on old.tenant_id = c.tenant_id
        where t.tenant_id = c.tenant_id and t.client_id = c.client_id
          and t.task_type = any(%(churn_types)s) and t.status = any(%(open_statuses)s)
          and old.priority = t.priority and p.priority_rank > old.priority_rank
        """
    ).format(
        candidates=candidates,
        policy=policy,
        policy_join=sql.SQL(SLA_POLICY_JOIN).format(policy=policy, candidate=sql.SQL("c")),
    )
    open_query = sql.SQL(
        """
        insert into gold_hitl_tasks_e5 (
            tenant_id, task_type, priority, sla_deadline, sla_warning_at, sla_status,
            client_id, entity_type, entity_id, context, status, correlation_id, source_worker,
            created_at, updated_at)
        select
            c.tenant_id, %(task_type)s, c.priority, {sla_deadlines}, 'OK',
            c.client_id, 'CLIENT', c.client_id,
            jsonb_build_object(
                'reason', c.reason, 'risk_level', c.risk_level, 'churn_score', c.churn_score,
                'strongest_signal_type', c.strongest_signal_type,
                'strongest_signal_evidence', c.strongest_signal_evidence,
                'factor_breakdown', c.factor_breakdown, 'as_of', %(as_of)s::text),
            'PENDING', %(batch_id)s, %(source_worker)s, now(), now()
        from {candidates} c
        {policy_join}
        where not c.has_open_churn_task
        -- The predicate is migration 009's index predicate, literally: PostgreSQL infers the
        -- partial unique index from it (OPEN_STATUSES as a parameter would not match).
        on conflict (tenant_id, client_id, task_type)
            where status in ('PENDING', 'ASSIGNED', 'IN_PROGRESS') do nothing
        """
    ).format(
        candidates=candidates,
        sla_deadlines=sql.SQL(SLA_DEADLINES),
        policy_join=sql.SQL(SLA_POLICY_JOIN).format(policy=policy, candidate=sql.SQL("c")),
    )
    raised = conn.execute(raise_query, params).rowcount
    opened = conn.execute(open_query, params).rowcount
    return TaskChanges(opened=opened, raised=raised)


# A churn task's cause has cleared when the client is no longer at risk (B10's band) and has
# left AT_RISK: closed with a resolution that says so.
CLOSE_CLEARED_CHURN_TASKS = """
    update gold_hitl_tasks_e5 t set
        status = 'RESOLVED',
        resolution = 'AUTO_CLOSED_RISK_CLEARED',
        resolution_notes = 'Closed automatically: the client is no longer at risk (churn score '
            || coalesce(s.churn_risk_score::text, '-') || ', '
            || coalesce(s.churn_risk_level::text, '-') || ', state ' || s.current_state
            || ') as of ' || %(as_of)s::text,
        resolved_at = %(logical_time)s,
        updated_at = now()
    from gold_nurturing_state s
    where t.tenant_id = any(%(tenants)s::uuid[])
      and t.task_type = any(%(churn_types)s) and t.status = any(%(open_statuses)s)
      and s.tenant_id = t.tenant_id and s.client_id = t.client_id
      and not coalesce(s.is_at_risk, false) and s.current_state <> 'AT_RISK'
"""

ASSIGN_TO_ACCOUNT_MANAGERS = """
    update gold_hitl_tasks_e5 t set
        assigned_to = u.id,
        assigned_at = %(logical_time)s,
        assignment_method = 'ACCOUNT_MANAGER',
        status = case when t.status = 'PENDING' then 'ASSIGNED' else t.status end,
        updated_at = now()
    from gold_clients c
    join users u on u.id = c.account_manager_id and u.is_active
    where t.tenant_id = any(%(tenants)s::uuid[])
      and t.status = any(%(open_statuses)s) and t.assigned_to is null
      and c.id = t.client_id and u.tenant_id = t.tenant_id
"""

# The rest go one by one, oldest deadline first, to whoever of the tenant's active users has
# the fewest open tasks at that moment: user u's k-th new task would bring its load to
# open + k; the n cheapest such slots of a tenant take its n tasks, in order. Users with an
# escalation role come last (only when the tenant has no one else), so that a breach has
# someone other than the assignee to go to. A pool of m users holding S open tasks never rises
# above ceil((S + n) / m) for n tasks, so no user needs slots beyond that level.
# Tasks in deadline order, then creation order: the batch (created_at), then client and type
# (one open task each), id. Not task_number: within one insert it follows the plan's row order.
ASSIGN_TO_LEAST_LOADED = """
    with unassigned as (
        select id, tenant_id,
               row_number() over (partition by tenant_id
                                  order by sla_deadline, created_at, client_id, task_type, id)
                   as pick
        from gold_hitl_tasks_e5
        where tenant_id = any(%(tenants)s::uuid[])
          and status = any(%(open_statuses)s) and assigned_to is null
    ),
    tenant_counts as (
        select tenant_id, count(*) as tasks from unassigned group by tenant_id
    ),
    loads as (
        select u.tenant_id, u.id as user_id, count(t.id) as open_tasks,
               u.role = any(string_to_array(cfg.escalation_roles, ',')) as escalates
        from users u
        join {settings} cfg on cfg.tenant_id = u.tenant_id
        left join gold_hitl_tasks_e5 t
            on t.assigned_to = u.id and t.status = any(%(open_statuses)s)
        where u.tenant_id = any(%(tenants)s::uuid[]) and u.is_active
        group by u.tenant_id, u.id, cfg.escalation_roles
    ),
    pools as (
        select tenant_id, user_id, open_tasks, escalates,
               bool_and(escalates) over (partition by tenant_id) as only_escalating
        from loads
    ),
    pool_levels as (
        select p.tenant_id, p.user_id, p.open_tasks,
               ceil((sum(p.open_tasks) over w + n.tasks)::numeric / count(*) over w)::bigint
                   as highest_level
        from pools p
        join tenant_counts n on n.tenant_id = p.tenant_id
        where p.escalates = p.only_escalating
        window w as (partition by p.tenant_id)
    ),
    slots as (
        select l.tenant_id, l.user_id,
               row_number() over (partition by l.tenant_id
                                  order by l.open_tasks + k, l.user_id) as pick
        from pool_levels l
        cross join lateral generate_series(1, l.highest_level - l.open_tasks) as k
    )
    update gold_hitl_tasks_e5 t set
        assigned_to = s.user_id,
        assigned_at = %(logical_time)s,
        assignment_method = 'LEAST_LOADED',
        status = case when t.status = 'PENDING' then 'ASSIGNED' else t.status end,
        updated_at = now()
    from unassigned a
    join slots s on s.tenant_id = a.tenant_id and s.pick = a.pick
    where t.id = a.id
"""

# The SLA clock only moves forward: OK -> WARNING at sla_warning_at, -> BREACHED at
# sla_deadline (both inclusive), at the run's logical time.
ADVANCE_SLA_CLOCK = """
    with clocked as (
        select t.id,
               case when %(logical_time)s >= t.sla_deadline then 'BREACHED'
                    when %(logical_time)s >= t.sla_warning_at then 'WARNING'
                    else 'OK' end as sla_status
        from gold_hitl_tasks_e5 t
        where t.tenant_id = any(%(tenants)s::uuid[]) and t.status = any(%(open_statuses)s)
    )
    update gold_hitl_tasks_e5 t set sla_status = c.sla_status, updated_at = now()
    from clocked c
    where t.id = c.id
      and array_position(array['OK', 'WARNING', 'BREACHED'], c.sla_status)
          > coalesce(array_position(array['OK', 'WARNING', 'BREACHED'], t.sla_status), 1)
    returning t.id, c.sla_status
"""

# A breach escalates once, when the clock reaches it, to the least-escalated-to active user of
# the tenant with one of its escalation roles (lifecycle_settings), other than the assignee:
# loads as they were before this statement, one aggregate for every breach (set-based).
ESCALATE_BREACHES = """
    with escalation_load as materialized (
        select u.tenant_id, u.id as user_id, count(t.id) as open_escalations
        from users u
        join {settings} cfg on cfg.tenant_id = u.tenant_id
        left join gold_hitl_tasks_e5 t
            on t.escalated_to = u.id and t.status = any(%(open_statuses)s)
        where u.tenant_id = any(%(tenants)s::uuid[]) and u.is_active
          and u.role = any(string_to_array(cfg.escalation_roles, ','))
        group by u.tenant_id, u.id
    ),
    escalations as (
        select distinct on (b.id)
            b.id, b.sla_deadline, b.status, l.user_id as escalated_to
        from gold_hitl_tasks_e5 b
        left join escalation_load l
            on l.tenant_id = b.tenant_id and l.user_id is distinct from b.assigned_to
        where b.id = any(%(breached)s::uuid[])
        order by b.id, l.open_escalations, l.user_id
    )
    update gold_hitl_tasks_e5 t set
        escalation_level = t.escalation_level + 1,
        escalated_at = %(logical_time)s,
        escalated_to = e.escalated_to,
        escalation_reason = 'SLA breached: deadline ' || to_char(
            e.sla_deadline at time zone %(business_timezone)s, 'YYYY-MM-DD HH24:MI')
            || ' (' || %(business_timezone)s || ') passed with the task ' || e.status,
        updated_at = now()
    from escalations e
    where t.id = e.id
"""


@dataclass(frozen=True)
class ClockChanges:
    closed: int
    assigned_to_account_managers: int
    assigned_to_least_loaded: int
    warnings: int
    breaches: int


def run_hitl_clock(conn: psycopg.Connection, scope: RunScope) -> ClockChanges:
    """Close cleared churn tasks, assign the open ones, advance SLA clocks, escalate breaches."""
    params = scope_params(scope)
    closed = conn.execute(CLOSE_CLEARED_CHURN_TASKS, params).rowcount
    by_manager = conn.execute(ASSIGN_TO_ACCOUNT_MANAGERS, params).rowcount
    settings = mart("int_tenant_lifecycle_settings")
    by_load = conn.execute(
        sql.SQL(ASSIGN_TO_LEAST_LOADED).format(settings=settings), params
    ).rowcount
    clocked = conn.execute(ADVANCE_SLA_CLOCK, params).fetchall()
    breached = [task_id for task_id, status in clocked if status == "BREACHED"]
    if breached:
        escalate = sql.SQL(ESCALATE_BREACHES).format(settings=settings)
        conn.execute(
            escalate,
            {**params, "breached": breached, "business_timezone": str(BUSINESS_TIMEZONE)},
        )
    return ClockChanges(
        closed=closed,
        assigned_to_account_managers=by_manager,
        assigned_to_least_loaded=by_load,
        warnings=sum(status == "WARNING" for _, status in clocked),
        breaches=len(breached),
    )


@asset(
    key="hitl_tasks",
    group_name="hitl",
    partitions_def=tenant_partitions,
    backfill_policy=BackfillPolicy.single_run(),
    deps=["state_transitions", "churn_factors", "nps_surveys", "referral_requests"],
    description=(
        "HITL tasks: churn tasks whose client is no longer at risk closed; open tasks assigned "
        "(account manager, else the least-loaded active user); SLA clock OK -> WARNING -> "
        "BREACHED; breaches escalated. Also runs alone every 15 minutes."
    ),
)
def hitl_tasks(context: AssetExecutionContext, database: CerniqDatabase) -> MaterializeResult:
    with write_back(context, database) as (conn, scope):
        changes = run_hitl_clock(conn, scope)
        open_tasks = conn.execute(
            "select task_type, sla_status, count(*) from gold_hitl_tasks_e5 "
            "where tenant_id = any(%s::uuid[]) and status = any(%s) group by 1, 2 order by 1, 2",
            (scope.tenant_ids, list(OPEN_STATUSES)),
        ).fetchall()
    return MaterializeResult(
        metadata={
            "tasks_closed_risk_cleared": changes.closed,
            "tasks_assigned_to_account_managers": changes.assigned_to_account_managers,
            "tasks_assigned_least_loaded": changes.assigned_to_least_loaded,
            "sla_warnings": changes.warnings,
            "sla_breaches_escalated": changes.breaches,
            "open_tasks": MetadataValue.json(
                {f"{task_type} {sla}": count for task_type, sla, count in open_tasks}
            ),
        }
    )


hitl_sla_job = define_asset_job(
    "hitl_sla_clock",
    selection=[hitl_tasks],
    description="The HITL SLA clock alone: assignment, OK -> WARNING -> BREACHED, escalation.",
)


@schedule(
    name="hitl_sla_every_15_minutes",
    job=hitl_sla_job,
    cron_schedule="*/15 * * * *",
    execution_timezone=str(BUSINESS_TIMEZONE),
    default_status=DefaultScheduleStatus.RUNNING,
    description="Every tenant's HITL SLA clock, every 15 minutes, as one run.",
)
def hitl_sla_every_15_minutes(context: ScheduleEvaluationContext):
    return every_tenant_run(context, "hitl-sla")
