"""Least-loaded assignment of HITL tasks (hitl/sql/assign_to_least_loaded.sql) against a
one-task-at-a-time reference: each task, in work-queue order (without predictions: oldest
deadline first), to the active user with the fewest open tasks at that moment (ties by id) who
is below the tenant's capacity, users with an escalation role only when the tenant has no one
else; the tasks that fit nowhere stay unassigned. The statement computes it set-based with
bounded slots; the results must be identical."""

import datetime as dt
import random
import uuid

import psycopg
import pytest

from dagster_cerniq.defs.hitl.sla_clock import ASSIGN_TO_LEAST_LOADED, RANK_WORK_QUEUE
from dagster_cerniq.defs.hitl.tasks import CHURN_TASK_TYPES

NOW = dt.datetime(2026, 5, 4, 9, 0, tzinfo=dt.UTC)
ESCALATION_ROLES = "ADMIN,MANAGER"


def _tenant(
    conn: psycopg.Connection, users: list[tuple[str, bool]], capacity: int
) -> tuple[uuid.UUID, list]:
    """A tenant with users (role, is_active) of at most `capacity` open tasks each; returns its
    id and the users' ids in order."""
    tenant_id = uuid.uuid4()
    conn.execute("insert into tenants (id, name) values (%s, %s)", (tenant_id, "t"))
    conn.execute(
        "insert into analytics.int_tenant_lifecycle_settings values (%s, %s, %s)",
        (tenant_id, ESCALATION_ROLES, capacity),
    )
    ids = []
    for number, (role, active) in enumerate(users):
        user_id = uuid.uuid4()
        conn.execute(
            "insert into users (id, tenant_id, email, role, is_active) values (%s, %s, %s, %s, %s)",
            (user_id, tenant_id, f"u{number}@t.ro", role, active),
        )
        ids.append(user_id)
    return tenant_id, ids


def _task(conn, tenant_id, deadline_hours: float, assigned_to=None, status="PENDING") -> uuid.UUID:
    (task_id,) = conn.execute(
        "insert into gold_hitl_tasks_e5 (tenant_id, task_type, priority, sla_deadline, context, "
        "status, assigned_to) values (%s, 'CHURN_INTERVENTION', 'HIGH', %s, '{}', %s, %s) "
        "returning id",
        (tenant_id, NOW + dt.timedelta(hours=deadline_hours), status, assigned_to),
    ).fetchone()
    return task_id


def _reference(conn, tenant_id, capacity: int) -> dict[uuid.UUID, uuid.UUID]:
    """Task by task, as a queue worker would assign them."""
    users = conn.execute(
        "select u.id, u.role = any(string_to_array(%s, ',')), "
        "(select count(*) from gold_hitl_tasks_e5 t where t.assigned_to = u.id "
        "and cerniq_hitl_task_is_open(t.status)) from users u "
        "where u.tenant_id = %s and u.is_active",
        (ESCALATION_ROLES, tenant_id),
    ).fetchall()
    pool = [u for u in users if not u[1]] or users
    load = {user_id: open_tasks for user_id, _, open_tasks in pool}
    tasks = conn.execute(
        "select id from gold_hitl_tasks_e5 where tenant_id = %s and assigned_to is null "
        "and cerniq_hitl_task_is_open(status) "
        "order by sla_deadline, created_at, client_id, task_type, id",
        (tenant_id,),
    ).fetchall()
    expected = {}
    for (task_id,) in tasks:
        with_room = [user_id for user_id in load if load[user_id] < capacity]
        if not with_room:
            break
        user_id = min(with_room, key=lambda candidate: (load[candidate], str(candidate)))
        expected[task_id] = user_id
        load[user_id] += 1
    return expected


@pytest.fixture
def conn(migrated_db: str):
    with psycopg.connect(migrated_db) as connection:
        connection.execute("create schema if not exists analytics")
        connection.execute(
            "create table analytics.int_tenant_lifecycle_settings "
            "(tenant_id uuid, escalation_roles text, account_manager_capacity integer)"
        )
        yield connection


# Roomy: every task fits. Tight: users fill up (one starts over capacity), the rest stay pooled.
@pytest.mark.parametrize(("capacity", "assigned_count"), [(1000, 42), (6, 19)])
def test_least_loaded_assignment_matches_one_at_a_time(
    conn: psycopg.Connection, capacity: int, assigned_count: int
) -> None:
    rng = random.Random(7)
    tenants = []
    # Uneven existing loads, an inactive user, supervisors who must be left for escalations.
    roles = [("ACCOUNT_MANAGER", True)] * 4 + [("ACCOUNT_MANAGER", False), ("MANAGER", True)]
    tenant_id, users = _tenant(conn, roles, capacity)
    for user_id, already in zip(users, [0, 3, 9, 1, 0, 0], strict=True):
        for _ in range(already):
            _task(conn, tenant_id, rng.uniform(-50, 50), assigned_to=user_id, status="ASSIGNED")
    for _ in range(37):
        _task(conn, tenant_id, rng.choice([1, 2, 3, 5.5, 24]))
    tenants.append(tenant_id)
    # A tenant whose only active users have escalation roles: they take the tasks.
    tenant_id, _ = _tenant(
        conn, [("MANAGER", True), ("ADMIN", True), ("ACCOUNT_MANAGER", False)], capacity
    )
    for _ in range(5):
        _task(conn, tenant_id, rng.uniform(0, 10))
    tenants.append(tenant_id)

    expected = {
        task: user
        for tenant in tenants
        for task, user in _reference(conn, tenant, capacity).items()
    }
    queue = {"tenants": tenants, "churn_task_types": list(CHURN_TASK_TYPES)}
    conn.execute(RANK_WORK_QUEUE.compose(), queue)  # no predictions: the deadline order
    assigned = conn.execute(
        ASSIGN_TO_LEAST_LOADED.compose(), {"tenants": tenants, "logical_time": NOW}
    ).rowcount

    assert assigned == len(expected) == assigned_count
    got = dict(
        conn.execute(
            "select id, assigned_to from gold_hitl_tasks_e5 where id = any(%s)", (list(expected),)
        ).fetchall()
    )
    assert got == expected
    statuses = conn.execute(
        "select distinct status, assignment_method from gold_hitl_tasks_e5 where id = any(%s)",
        (list(expected),),
    ).fetchall()
    assert statuses == [("ASSIGNED", "LEAST_LOADED")]
    pooled = conn.execute(
        "select count(*) from gold_hitl_tasks_e5 where tenant_id = any(%s) "
        "and assigned_to is null and status = 'PENDING'",
        (tenants,),
    ).fetchone()
    assert pooled == (42 - assigned_count,)
