"""Score history read back (SPEC §5, migration 016): cerniq_churn_score_movers splits the change
of a client's score between two evaluations among its factors, with their evidence, and
cerniq_churn_score_trend lists the evaluations with their change since the one before.

The history rows are written by hand, as the churn_factors step records them: a breakdown
factor -> {value, weight, contribution, count} whose Σ contribution / Σ weight is the score,
and one evidence element per active signal."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from uuid import UUID

import psycopg
import pytest

from dagster_cerniq.ops import migrations
from tests.conftest import new_database

FIRST, SECOND, THIRD = dt.date(2026, 9, 24), dt.date(2026, 10, 1), dt.date(2026, 10, 8)
# The stored score has 2 decimals and each share 4, so sums agree to within a cent.
CENT = Decimal("0.01")


@dataclass(frozen=True)
class Term:
    """One factor of a day's breakdown: its value, total weight and number of signals."""

    value: str
    weight: str
    count: int = 1

    @property
    def contribution(self) -> Decimal:
        return round(Decimal(self.value) * Decimal(self.weight), 4)


def signal(signal_type: str, strength: int, source_type: str, text: str) -> dict[str, object]:
    return {
        "signal_type": signal_type,
        "strength": strength,
        "evidence_source_type": source_type,
        "evidence_source_id": str(uuid.uuid4()),
        "evidence_text": text,
    }


OFFER = signal("COMPETITOR_MENTION", 70, "MESSAGE", "Agrotex ne-a oferit semințe mai ieftine.")
LONG_OFFER = signal(
    "COMPETITOR_MENTION",
    70,
    "MESSAGE",
    "Am vorbit ieri cu cei de la Agrotex și ne-au propus un contract pe doi ani la îngrășăminte, "
    "cu livrare gratuită în toată zona Bărăganului și plata la 90 de zile.",
)
UNPAID = signal("PAYMENT_DELAY", 40, "PAYMENT", "Factura FV-0412 restantă de 19 zile")
UNPAID_AGAIN = signal("PAYMENT_DELAY", 35, "PAYMENT", "Factura FV-0518 restantă de 16 zile")
ANGRY = signal("NEGATIVE_SENTIMENT", 80, "MESSAGE", "Sunt foarte nemulțumit de ultima livrare.")
CROSS = signal("NEGATIVE_SENTIMENT", 53, "MESSAGE", "Iar a întârziat comanda.")

# Three evaluations: NEGATIVE_SENTIMENT appears and PAYMENT_DELAY clears on the second, a
# second competitor message doubles COMPETITOR_MENTION's weight; on the third DAYS_INACTIVE
# (no signal, no evidence) clears and PAYMENT_DELAY comes back.
HISTORY: dict[dt.date, tuple[str, dict[str, Term], list[dict[str, object]], str | None]] = {
    FIRST: (
        "MEDIUM",
        {
            "COMPETITOR_MENTION": Term("70", "0.15"),
            "PAYMENT_DELAY": Term("40", "0.10"),
            "DAYS_INACTIVE": Term("20", "0.15"),
        },
        [OFFER, UNPAID],
        None,
    ),
    SECOND: (
        "HIGH",
        {
            "COMPETITOR_MENTION": Term("70", "0.30", count=2),
            "DAYS_INACTIVE": Term("40", "0.15"),
            "NEGATIVE_SENTIMENT": Term("80", "0.20"),
        },
        [OFFER, LONG_OFFER, ANGRY],
        "2027-01-20",
    ),
    THIRD: (
        "HIGH",
        {
            "COMPETITOR_MENTION": Term("70", "0.15"),
            "NEGATIVE_SENTIMENT": Term("53.33", "0.20"),
            "PAYMENT_DELAY": Term("35", "0.10"),
        },
        [OFFER, UNPAID_AGAIN, CROSS],
        "2027-01-05",
    ),
}


def score_of(terms: dict[str, Term]) -> Decimal:
    """The seed's weighted mean, as fct_churn_scores stores it."""
    weights = sum(Decimal(term.weight) for term in terms.values())
    return round(sum(term.contribution for term in terms.values()) / weights, 2)


@dataclass(frozen=True)
class Clients:
    tenant: UUID
    other_tenant: UUID
    evaluated: UUID  # three evaluations
    once: UUID  # one evaluation
    never: UUID  # none


def add_client(conn: psycopg.Connection, tenant: UUID, name: str, state: str | None) -> UUID:
    client = uuid.uuid4()
    conn.execute(
        "insert into gold_clients (id, tenant_id, company_name, segment) "
        "values (%s, %s, %s, 'FERMA_MARE')",
        (client, tenant, name),
    )
    if state:
        conn.execute(
            "insert into gold_nurturing_state (tenant_id, client_id, current_state, "
            "state_changed_at) values (%s, %s, %s, '2026-10-01 09:00+03')",
            (tenant, client, state),
        )
    return client


def record_evaluation(
    conn: psycopg.Connection,
    tenant: UUID,
    client: UUID,
    as_of: dt.date,
    confidence: str | None = "41.5",
) -> None:
    risk_level, terms, evidence, churn_date = HISTORY[as_of]
    # Numbers as JSON numbers, as the churn_factors step writes them.
    breakdown = {
        factor: {
            "value": Decimal(term.value),
            "weight": Decimal(term.weight),
            "contribution": term.contribution,
            "count": term.count,
        }
        for factor, term in terms.items()
    }
    conn.execute(
        "insert into gold_churn_score_history (tenant_id, client_id, as_of, overall_churn_score, "
        "risk_level, factor_breakdown, evidence, prediction_confidence, predicted_churn_date) "
        "values (%s, %s, %s, %s, %s, %s, %s, %s, %s)",
        (tenant, client, as_of, score_of(terms), risk_level, json.dumps(breakdown, default=float),
         json.dumps(evidence), confidence, churn_date),
    )  # fmt: skip


@pytest.fixture(scope="module", name="history")
def history_fixture(admin_url: str) -> Iterator[tuple[str, Clients]]:
    """A migrated database with one tenant's clients and their score history (read only)."""
    with new_database(admin_url) as url:
        migrations.apply_pending(url)
        with psycopg.connect(url) as conn:
            tenant, other_tenant = uuid.uuid4(), uuid.uuid4()
            conn.execute(
                "insert into tenants (id, name) values (%s, 'Agro Sud'), (%s, 'Agro Nord')",
                (tenant, other_tenant),
            )
            evaluated = add_client(conn, tenant, "Ferma Dobrogea SRL", "AT_RISK")
            for day in HISTORY:
                record_evaluation(conn, tenant, evaluated, day)
            once = add_client(conn, tenant, "Ferma Nouă SRL", "ONBOARDING")
            record_evaluation(conn, tenant, once, THIRD, confidence=None)
            never = add_client(conn, tenant, "Ferma Liniștită SRL", None)
        yield url, Clients(tenant, other_tenant, evaluated, once, never)


def movers(url: str, tenant: UUID, client: UUID, from_date: dt.date, to_date: dt.date) -> list:
    with psycopg.connect(url) as conn:
        return conn.execute(
            "select * from cerniq_churn_score_movers(%s, %s, %s, %s)",
            (tenant, client, from_date, to_date),
        ).fetchall()


@pytest.mark.parametrize(("from_date", "to_date"), [(FIRST, SECOND), (SECOND, THIRD)])
def test_shares_sum_to_the_score_and_changes_to_its_change(
    history: tuple[str, Clients], from_date: dt.date, to_date: dt.date
) -> None:
    url, clients = history
    rows = movers(url, clients.tenant, clients.evaluated, from_date, to_date)
    before, after = score_of(HISTORY[from_date][1]), score_of(HISTORY[to_date][1])
    assert abs(sum(row[3] for row in rows) - before) <= CENT
    assert abs(sum(row[4] for row in rows) - after) <= CENT
    assert abs(sum(row[5] for row in rows) - (after - before)) <= CENT
    assert all(row[5] == row[4] - row[3] for row in rows)


def test_each_factors_move_largest_first(history: tuple[str, Clients]) -> None:
    url, clients = history
    rows = movers(url, clients.tenant, clients.evaluated, FIRST, SECOND)
    # Shares of FIRST: Σ weight .40; of SECOND: Σ weight .65.
    assert [(factor, change) for factor, *_, change, _, _ in rows] == [
        ("NEGATIVE_SENTIMENT", Decimal("24.6154")),  # 16 / .65, new
        ("PAYMENT_DELAY", Decimal("-10.0000")),  # 4 / .40, cleared
        ("COMPETITOR_MENTION", Decimal("6.0577")),  # 21 / .65 - 10.5 / .40
        ("DAYS_INACTIVE", Decimal("1.7308")),  # 6 / .65 - 3 / .40
    ]


def test_a_factor_appearing_and_one_clearing(history: tuple[str, Clients]) -> None:
    url, clients = history
    rows = {
        row[0]: row[1:] for row in movers(url, clients.tenant, clients.evaluated, FIRST, SECOND)
    }
    appeared = rows["NEGATIVE_SENTIMENT"]
    assert appeared[:4] == (None, Decimal("80"), Decimal("0"), Decimal("24.6154"))
    assert appeared[5:] == ([], [ANGRY])
    cleared = rows["PAYMENT_DELAY"]
    assert cleared[:4] == (Decimal("40"), None, Decimal("10.0000"), Decimal("0"))
    assert cleared[5:] == ([UNPAID], [])


def test_evidence_is_the_factors_own_signals(history: tuple[str, Clients]) -> None:
    url, clients = history
    rows = {
        row[0]: row[1:] for row in movers(url, clients.tenant, clients.evaluated, SECOND, THIRD)
    }
    assert rows["COMPETITOR_MENTION"][5:] == ([OFFER, LONG_OFFER], [OFFER])
    assert rows["PAYMENT_DELAY"][5:] == ([], [UNPAID_AGAIN])
    assert rows["NEGATIVE_SENTIMENT"][5:] == ([ANGRY], [CROSS])
    # DAYS_INACTIVE has no signal rows: a value, no evidence.
    assert rows["DAYS_INACTIVE"][:2] == (Decimal("40"), None)
    assert rows["DAYS_INACTIVE"][5:] == ([], [])


def test_no_rows_without_an_evaluation_at_both_dates(history: tuple[str, Clients]) -> None:
    url, clients = history
    assert movers(url, clients.tenant, clients.evaluated, FIRST, dt.date(2026, 10, 2)) == []
    assert movers(url, clients.tenant, clients.once, SECOND, THIRD) == []
    assert movers(url, clients.other_tenant, clients.evaluated, FIRST, SECOND) == []


def test_trend_changes_are_since_the_evaluation_before(history: tuple[str, Clients]) -> None:
    url, clients = history
    with psycopg.connect(url) as conn:
        rows = conn.execute(
            "select as_of, overall_churn_score, risk_level, score_change "
            "from cerniq_churn_score_trend(%s, %s, %s, %s)",
            (clients.tenant, clients.evaluated, SECOND, THIRD),
        ).fetchall()
        first = conn.execute(
            "select score_change from cerniq_churn_score_trend(%s, %s, %s, %s)",
            (clients.tenant, clients.evaluated, FIRST, FIRST),
        ).fetchall()
    # SECOND's change is from FIRST, before the window.
    assert rows == [
        (SECOND, Decimal("66.15"), "HIGH", Decimal("22.40")),
        (THIRD, Decimal("54.81"), "HIGH", Decimal("-11.34")),
    ]
    assert first == [(None,)]
