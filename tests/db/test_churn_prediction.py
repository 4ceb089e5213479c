"""The churn prediction on a generated tenant with two hand-made clients: a seasonal buyer
(every April and October for three years) is not churning in December although its seed score
is high, and a client that stopped in the middle of its season is."""

from __future__ import annotations

import datetime as dt
import uuid

import psycopg
import pytest

from dagster_cerniq.defs.churn import model
from dagster_cerniq.defs.churn.prediction import fit_rule
from tests.conftest import generated
from tests.db.test_dbt import run_dbt

AS_OF = dt.date(2026, 12, 15)
MID_SEASON = dt.date(2026, 9, 30)
SEASONAL = uuid.UUID("5ea50000-0000-4000-8000-000000000001")
STOPPED = uuid.UUID("5ea50000-0000-4000-8000-000000000002")
SEASONAL_DAYS = [dt.date(y, m, 15) for y in (2024, 2025, 2026) for m in (4, 10)]
# Orders every month of the season (March to October) last year, then from March to June 15
# this year and never again.
STOPPED_DAYS = [dt.date(2025, m, 15) for m in range(3, 11)] + [
    dt.date(2026, m, 15) for m in range(3, 7)
]


def add_client(conn: psycopg.Connection, tenant: uuid.UUID, client: uuid.UUID, days) -> None:
    conn.execute(
        "insert into gold_clients (id, tenant_id, company_name, segment) values (%s, %s, %s,"
        " 'CEREALE')",
        (client, tenant, f"Test {client.hex[:6]} SRL"),
    )
    for day in days:
        delivered = dt.datetime.combine(day, dt.time(10), dt.UTC)
        conn.execute(
            "insert into gold_orders (tenant_id, client_id, status, total_value, currency,"
            " ordered_at, delivered_at) values (%s, %s, 'DELIVERED', 50000, 'RON', %s, %s)",
            (tenant, client, delivered - dt.timedelta(days=3), delivered),
        )


def probabilities(url: str, tenant: uuid.UUID, as_of: dt.date) -> dict[uuid.UUID, float]:
    run_dbt(url, "run", "--select", "+fct_churn_prediction_features", as_of=as_of)
    with psycopg.connect(url) as conn:
        cursor = conn.execute("select * from analytics.fct_churn_prediction_features")
        features = model.as_frame(cursor.fetchall(), [c.name for c in cursor.description])
    (prediction,), no_model = model.predict(features, [str(tenant)], as_of, fit_rule())
    assert no_model is None
    clients = prediction.clients.set_index("client_id")["probability"]
    return {client: float(clients[str(client)]) for client in (SEASONAL, STOPPED)}


@pytest.fixture(scope="module")
def tenant_db(admin_url: str):
    with generated(admin_url, tenants=1, clients_per_tenant=1500, as_of=AS_OF) as (url, tenants):
        with psycopg.connect(url) as conn:
            add_client(conn, tenants[0], SEASONAL, SEASONAL_DAYS)
            add_client(conn, tenants[0], STOPPED, STOPPED_DAYS)
        yield url, tenants[0]


def test_the_seed_score_calls_the_seasonal_buyer_high_in_december(tenant_db) -> None:
    """DAYS_INACTIVE alone: 61 days without an order puts it at HIGH."""
    url, _ = tenant_db
    run_dbt(
        url, "build", "--select", "+fct_churn_scores", "--exclude", "test_type:unit", as_of=AS_OF
    )
    with psycopg.connect(url) as conn:
        score, level = conn.execute(
            "select churn_score, risk_level from analytics.fct_churn_scores where client_id = %s",
            (SEASONAL,),
        ).fetchone()
    assert score >= 50 and level in ("HIGH", "CRITICAL")


# A known gap of the current model (issue 14 stays open): the client that stopped mid-season gets
# 0.06-0.11 (logistic regression; a gradient-boosted model gave 0.01-0.07). On the generated
# data a frequent buyer quiet for 90+ days in season churned in only 54 % of the training
# snapshots, so nothing teaches a model more. strict: the mark comes off with the fix.
MODEL_GAP = pytest.mark.xfail(
    strict=True, reason="a client that stopped mid-season is not yet flagged (issue 14)"
)


def test_a_seasonal_buyer_is_not_churning_in_december(tenant_db) -> None:
    url, tenant = tenant_db
    assert probabilities(url, tenant, AS_OF)[SEASONAL] < 0.25


@MODEL_GAP
def test_a_client_that_stopped_mid_season_is(tenant_db) -> None:
    url, tenant = tenant_db
    found = probabilities(url, tenant, MID_SEASON)
    assert found[STOPPED] > 0.5
    assert found[STOPPED] > 3 * found[SEASONAL]
