"""The HITL work queue (issue 14): open tasks ranked by expected loss (falling back to the SLA
order without predictions), assignment in queue order within each user's capacity with the rest
pooled, churn tasks' context (prediction, top factors with evidence, refreshed when a task is
raised), the view the app reads, and reruns that write nothing. The dbt relations the steps
read are stand-in tables with the columns they use."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from decimal import Decimal

import psycopg
import pytest

from dagster_cerniq.defs.hitl import tasks
from dagster_cerniq.defs.hitl.sla_clock import WORK_QUEUE_TOP, run_hitl_clock, work_queue_table
from dagster_cerniq.lib.write_back import RunScope, fetch
from dagster_cerniq.ops.report import work_queue_report

AS_OF = dt.date(2026, 5, 4)
NOW = dt.datetime(2026, 5, 4, 9, 0, tzinfo=dt.UTC)

ANALYTICS_STAND_INS = (
    "int_tenant_lifecycle_settings (tenant_id uuid, escalation_roles text, "
    "account_manager_capacity integer)",
    "fct_state_eligibility (tenant_id uuid, client_id uuid, churn_score numeric, "
    "risk_level text, state_after_transition text, is_risk_cleared boolean)",
    "int_tenant_hitl_sla_policy (tenant_id uuid, priority text, priority_rank integer, "
    "sla_hours integer, sla_warning_hours numeric)",
    "int_client_orders (tenant_id uuid, client_id uuid, last_order_id uuid, "
    "days_since_last_order integer)",
    "stg_cerniq__orders (order_id uuid, order_value numeric, delivered_at timestamptz)",
    "fct_client_nps (tenant_id uuid, client_id uuid, latest_nps_score integer, "
    "previous_nps_score integer, last_responded_at timestamptz)",
)
SLA_HOURS = {"LOW": (1, 168), "MEDIUM": (2, 72), "HIGH": (3, 24), "URGENT": (4, 4)}


@pytest.fixture
def conn(migrated_db: str):
    with psycopg.connect(migrated_db) as connection:
        connection.execute("create schema if not exists analytics")
        for table in ANALYTICS_STAND_INS:
            connection.execute(f"create table analytics.{table}")
        yield connection


def scope(tenant_id: uuid.UUID, now: dt.datetime = NOW) -> RunScope:
    return RunScope([str(tenant_id)], now.date(), now, uuid.uuid4())


def tenant(conn: psycopg.Connection, capacity: int = 25) -> uuid.UUID:
    tenant_id = uuid.uuid4()
    conn.execute("insert into tenants (id, name) values (%s, 'Agro Test')", (tenant_id,))
    conn.execute(
        "insert into analytics.int_tenant_lifecycle_settings values (%s, 'ADMIN,MANAGER', %s)",
        (tenant_id, capacity),
    )
    for priority, (rank, hours) in SLA_HOURS.items():
        conn.execute(
            "insert into analytics.int_tenant_hitl_sla_policy values (%s, %s, %s, %s, %s)",
            (tenant_id, priority, rank, hours, hours * 0.75),
        )
    return tenant_id


def user(conn: psycopg.Connection, tenant_id: uuid.UUID, name: str) -> uuid.UUID:
    (user_id,) = conn.execute(
        "insert into users (tenant_id, email, full_name, role) "
        "values (%s, %s, %s, 'ACCOUNT_MANAGER') returning id",
        (tenant_id, f"{name.lower()}@agro.ro", name),
    ).fetchone()
    return user_id


def client(conn, tenant_id, name: str, manager: uuid.UUID | None = None) -> uuid.UUID:
    (client_id,) = conn.execute(
        "insert into gold_clients (tenant_id, company_name, account_manager_id) "
        "values (%s, %s, %s) returning id",
        (tenant_id, name, manager),
    ).fetchone()
    return client_id


def task(
    conn, tenant_id, client_id, deadline_hours: float, task_type="CHURN_ESCALATION", **columns
) -> uuid.UUID:
    values = {
        "tenant_id": tenant_id,
        "client_id": client_id,
        "task_type": task_type,
        "priority": "HIGH",
        "sla_deadline": NOW + dt.timedelta(hours=deadline_hours),
        "context": "{}",
        **columns,
    }
    (task_id,) = conn.execute(
        f"insert into gold_hitl_tasks_e5 ({', '.join(values)}) "
        f"values ({', '.join(['%s'] * len(values))}) returning id",
        list(values.values()),
    ).fetchone()
    return task_id


def predict(conn, tenant_id, client_id, probability: str, revenue: str) -> None:
    conn.execute(
        "insert into cerniq_churn_predictions (tenant_id, client_id, as_of, horizon_days, "
        "churn_probability, predicted_churn_date, revenue_at_risk, expected_loss, model_scope, "
        "model_name, predicted_at) values (%s, %s, %s, 180, %s, %s, %s, %s, 'POOLED', 'test', %s)",
        (tenant_id, client_id, AS_OF, Decimal(probability), AS_OF + dt.timedelta(days=40),
         Decimal(revenue), (Decimal(probability) * Decimal(revenue)).quantize(Decimal("0.01")),
         NOW),
    )  # fmt: skip


def queue(conn, tenant_id) -> list[tuple]:
    """The view the app reads: rank, client, assignee (None: pooled), expected loss."""
    return conn.execute(
        "select queue_rank, client_name, assignee_name, expected_loss "
        "from cerniq_hitl_work_queue where tenant_id = %s order by queue_rank",
        (tenant_id,),
    ).fetchall()


def tasks_as_stored(conn, tenant_id) -> list[tuple]:
    return conn.execute(
        "select id, status, assigned_to, assigned_at, queue_rank, expected_loss, context, "
        "sla_status, updated_at from gold_hitl_tasks_e5 where tenant_id = %s order by id",
        (tenant_id,),
    ).fetchall()


def test_queue_ranks_by_expected_loss_and_falls_back_to_the_sla_order(conn) -> None:
    tenant_id = tenant(conn)
    names = ["Ferma A", "Ferma B", "Ferma C", "Ferma D"]
    clients = {name: client(conn, tenant_id, name) for name in names}
    # Deadlines A < B < C < D; D's task is an NPS follow-up, which has no expected loss.
    for hours, name in enumerate(names, start=1):
        task_type = "NPS_DETRACTOR_FOLLOWUP" if name == "Ferma D" else "CHURN_ESCALATION"
        task(conn, tenant_id, clients[name], hours, task_type=task_type)

    run_hitl_clock(conn, scope(tenant_id))  # no predictions yet: the SLA order
    assert queue(conn, tenant_id) == [
        (1, "Ferma A", None, None),
        (2, "Ferma B", None, None),
        (3, "Ferma C", None, None),
        (4, "Ferma D", None, None),
    ]
    (context,) = conn.execute(
        "select context from gold_hitl_tasks_e5 where client_id = %s", (clients["Ferma A"],)
    ).fetchone()
    assert context["churn_probability"] is None and context["expected_loss"] is None

    predict(conn, tenant_id, clients["Ferma C"], "0.80", "50000")  # 40,000
    predict(conn, tenant_id, clients["Ferma B"], "0.10", "20000")  # 2,000
    predict(conn, tenant_id, clients["Ferma D"], "0.90", "90000")  # an NPS task: not counted
    run_hitl_clock(conn, scope(tenant_id))
    assert queue(conn, tenant_id) == [
        (1, "Ferma C", None, Decimal("40000.00")),
        (2, "Ferma B", None, Decimal("2000.00")),
        (3, "Ferma A", None, None),  # no prediction: 0, then the deadline
        (4, "Ferma D", None, None),
    ]
    row = conn.execute(
        "select churn_probability, predicted_churn_date, revenue_at_risk, task_type "
        "from cerniq_hitl_work_queue where client_id = %s",
        (clients["Ferma C"],),
    ).fetchone()
    assert row == (Decimal("80.00"), AS_OF + dt.timedelta(days=40), Decimal("50000.00"),
                   "CHURN_ESCALATION")  # fmt: skip

    # A closed task leaves the queue; the next one moves up.
    conn.execute(
        "update gold_hitl_tasks_e5 set status = 'RESOLVED' where client_id = %s",
        (clients["Ferma C"],),
    )
    run_hitl_clock(conn, scope(tenant_id))
    assert [r[:2] for r in queue(conn, tenant_id)] == [(1, "Ferma B"), (2, "Ferma A"),
                                                       (3, "Ferma D")]  # fmt: skip
    (closed_rank,) = conn.execute(
        "select queue_rank from gold_hitl_tasks_e5 where client_id = %s", (clients["Ferma C"],)
    ).fetchone()
    assert closed_rank is None


def test_account_manager_capacity_pools_the_overflow_until_a_place_frees(conn) -> None:
    tenant_id = tenant(conn, capacity=2)
    manager = user(conn, tenant_id, "Ana")
    held = task(conn, tenant_id, client(conn, tenant_id, "Ferma Veche", manager), 100,
                assigned_to=manager, status="IN_PROGRESS")  # fmt: skip
    # The manager's clients, the highest expected loss with the latest deadline.
    for name, hours, revenue in [("Ferma 1", 4, "1000"), ("Ferma 2", 3, "2000"),
                                 ("Ferma 3", 2, "3000"), ("Ferma 4", 1, "4000")]:  # fmt: skip
        client_id = client(conn, tenant_id, name, manager)
        task(conn, tenant_id, client_id, hours)
        predict(conn, tenant_id, client_id, "0.5", revenue)

    changes = run_hitl_clock(conn, scope(tenant_id))
    assert changes.assigned_to_account_managers == 1
    assert changes.assigned_to_least_loaded == 0  # Ana is the only user, and she is full
    assert queue(conn, tenant_id) == [
        (1, "Ferma 4", "Ana", Decimal("2000.00")),
        (2, "Ferma 3", None, Decimal("1500.00")),
        (3, "Ferma 2", None, Decimal("1000.00")),
        (4, "Ferma 1", None, Decimal("500.00")),
        (5, "Ferma Veche", "Ana", None),
    ]
    pooled = conn.execute(
        "select distinct status, assignment_method from gold_hitl_tasks_e5 "
        "where tenant_id = %s and assigned_to is null",
        (tenant_id,),
    ).fetchall()
    assert pooled == [("PENDING", None)]

    # What the demo prints and the hitl_tasks metadata shows.
    lines = work_queue_report(conn, tenant_id)
    assert lines[0] == (
        "HITL work queue by expected loss: 5 open tasks, 3 of them unassigned in the pool"
    )
    assert [line.split()[0] for line in lines[2:]] == ["1", "2", "3", "4", "5"]
    assert lines[2].split() == ["1", "CHURN_ESCALATION", "50.00", "2026-06-13", "4,000.00",
                                "2,000.00", "Ana", "Ferma", "4"]  # fmt: skip
    assert lines[3].split()[-3:] == ["pool", "Ferma", "3"]
    table = work_queue_table(fetch(conn, WORK_QUEUE_TOP, scope(tenant_id), row_count=2))
    assert table.splitlines()[2:] == [
        "| 1 | Ferma 4 | CHURN_ESCALATION | 50.00 % | 2026-06-13 | 4,000.00 RON "
        "| 2,000.00 RON | Ana |",
        "| 2 | Ferma 3 | CHURN_ESCALATION | 50.00 % | 2026-06-13 | 3,000.00 RON "
        "| 1,500.00 RON | pool |",
    ]

    # Another clock run later the same day changes nothing, not even updated_at.
    before = tasks_as_stored(conn, tenant_id)
    run_hitl_clock(conn, scope(tenant_id, NOW + dt.timedelta(minutes=15)))
    assert tasks_as_stored(conn, tenant_id) == before

    # Ana resolves her old task: the next clock run gives her the next-highest expected loss.
    conn.execute("update gold_hitl_tasks_e5 set status = 'RESOLVED' where id = %s", (held,))
    run_hitl_clock(conn, scope(tenant_id, NOW + dt.timedelta(minutes=30)))
    assert [(name, assignee) for _, name, assignee, _ in queue(conn, tenant_id)] == [
        ("Ferma 4", "Ana"), ("Ferma 3", "Ana"), ("Ferma 2", None), ("Ferma 1", None)]  # fmt: skip


def test_least_loaded_users_take_the_pool_in_queue_order_within_capacity(conn) -> None:
    tenant_id = tenant(conn, capacity=1)
    for name in ("Bogdan", "Cristina"):
        user(conn, tenant_id, name)
    for name, revenue in [("Ferma X", "100"), ("Ferma Y", "300"), ("Ferma Z", "200")]:
        client_id = client(conn, tenant_id, name)
        task(conn, tenant_id, client_id, 1)
        predict(conn, tenant_id, client_id, "1", revenue)

    changes = run_hitl_clock(conn, scope(tenant_id))
    assert changes.assigned_to_least_loaded == 2
    assigned = [(name, assignee is not None) for _, name, assignee, _ in queue(conn, tenant_id)]
    assert assigned == [("Ferma Y", True), ("Ferma Z", True), ("Ferma X", False)]


def signal(
    conn, tenant_id, client_id, signal_type, strength, source_type, text, details
) -> uuid.UUID:
    source_id = uuid.uuid4()
    conn.execute(
        "insert into gold_churn_signals (tenant_id, client_id, signal_type, signal_category, "
        "strength, confidence, detection_method, evidence_source_type, evidence_source_id, "
        "evidence_text, evidence_details) values (%s, %s, %s, 'TEST', %s, 85, 'RULE', %s, %s, "
        "%s, %s)",
        (tenant_id, client_id, signal_type, strength, source_type, source_id, text,
         json.dumps(details)),
    )  # fmt: skip
    return source_id


def stage_candidate(conn, tenant_id, client_id, priority: str, breakdown: dict) -> None:
    conn.execute("drop table if exists hitl_task_candidates")
    conn.execute(
        "create temporary table hitl_task_candidates as select %s::uuid as tenant_id, "
        "%s::uuid as client_id, %s::varchar as priority, 'CLIENT'::text as entity_type, "
        "%s::uuid as entity_id, 'Churn risk'::text as reason, %s::jsonb as context",
        (tenant_id, client_id, priority, client_id,
         json.dumps({"churn_score": 80, "factor_breakdown": breakdown})),
    )  # fmt: skip


def factor(value: float, weight: float) -> dict:
    return {"value": value, "weight": weight, "contribution": value * weight, "count": 1}


def test_churn_task_context_carries_prediction_and_top_factors_with_evidence(conn) -> None:
    tenant_id = tenant(conn)
    client_id = client(conn, tenant_id, "Ferma Gârbova")
    invoice = signal(conn, tenant_id, client_id, "PAYMENT_DELAY", 80, "PAYMENT",
                     "40 days overdue: invoice of 18000 RON",
                     {"days_overdue": 40, "amount": 18000})  # fmt: skip
    message = signal(conn, tenant_id, client_id, "COMPETITOR_MENTION", 70, "MESSAGE",
                     "AgroRival ne dă 10% reducere.", {"competitors": ["AgroRival"]})  # fmt: skip
    order_id = uuid.uuid4()
    delivered = dt.datetime(2026, 1, 20, 9, tzinfo=dt.UTC)
    conn.execute(
        "insert into analytics.int_client_orders values (%s, %s, %s, 104)",
        (tenant_id, client_id, order_id),
    )
    conn.execute("insert into analytics.stg_cerniq__orders values (%s, 12500, %s)",
                 (order_id, delivered))  # fmt: skip
    predict(conn, tenant_id, client_id, "0.62", "48000")
    breakdown = {
        "DAYS_INACTIVE": factor(100, 0.15),  # 15
        "PAYMENT_DELAY": factor(80, 0.10),  # 8
        "COMPETITOR_MENTION": factor(70, 0.15),  # 10.5
        "SATISFACTION_DECLINING": factor(30, 0.10),  # 3: not among the top 3
    }
    stage_candidate(conn, tenant_id, client_id, "HIGH", breakdown)
    opened = tasks.open_or_raise_tasks(conn, scope(tenant_id), task_type="CHURN_ESCALATION",
                                       source_worker="test")  # fmt: skip
    assert opened == tasks.TaskChanges(opened=1, raised=0)
    run_hitl_clock(conn, scope(tenant_id))

    (context,) = conn.execute(
        "select context from gold_hitl_tasks_e5 where client_id = %s", (client_id,)
    ).fetchone()
    assert {k: context[k] for k in ("churn_probability", "predicted_churn_date",
                                    "revenue_at_risk", "expected_loss")} == {
        "churn_probability": 62.0, "predicted_churn_date": "2026-06-13",
        "revenue_at_risk": 48000.0, "expected_loss": 29760.0}  # fmt: skip
    top = context["top_factors"]
    assert [(f["factor"], f["value"], f["weight"], f["contribution"]) for f in top] == [
        ("DAYS_INACTIVE", 100, 0.15, 15.0),
        ("COMPETITOR_MENTION", 70, 0.15, 10.5),
        ("PAYMENT_DELAY", 80, 0.1, 8.0),
    ]
    assert top[0]["evidence"] == [
        {
            "evidence_source_type": "ORDER",
            "evidence_source_id": str(order_id),
            "delivered_on": "2026-01-20",
            "order_value": 12500,
            "days_since_last_order": 104,
        }
    ]
    (mention,) = top[1]["evidence"]
    assert (mention["evidence_source_id"], mention["evidence_text"]) == (
        str(message), "AgroRival ne dă 10% reducere.")  # fmt: skip
    (overdue,) = top[2]["evidence"]
    assert overdue["evidence_source_id"] == str(invoice)
    assert overdue["evidence_details"] == {"days_overdue": 40, "amount": 18000}

    # Raised (URGENT beats HIGH) instead of reopened: the context takes the new breakdown, and
    # keeps the prediction the queue added.
    breakdown["SATISFACTION_DECLINING"] = factor(30, 1.0)  # 30: now the top factor
    conn.execute("insert into analytics.fct_client_nps values (%s, %s, 4, 8, %s)",
                 (tenant_id, client_id, NOW))  # fmt: skip
    stage_candidate(conn, tenant_id, client_id, "URGENT", breakdown)
    raised = tasks.open_or_raise_tasks(conn, scope(tenant_id), task_type="CHURN_INTERVENTION",
                                       source_worker="test")  # fmt: skip
    assert raised == tasks.TaskChanges(opened=0, raised=1)
    (priority, context) = conn.execute(
        "select priority, context from gold_hitl_tasks_e5 where client_id = %s", (client_id,)
    ).fetchone()
    assert priority == "URGENT" and context["expected_loss"] == 29760.0
    assert [f["factor"] for f in context["top_factors"]] == [
        "SATISFACTION_DECLINING", "DAYS_INACTIVE", "COMPETITOR_MENTION"]  # fmt: skip
    assert context["top_factors"][0]["evidence"][0]["latest_nps_score"] == 4
