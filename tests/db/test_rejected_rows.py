"""Issue 15, items 1-3: bad rows in the app's source tables (created without the checks the
app's own tables may lack) are rejected rows, never data, never a failed run.

Two databases with the same generated data, run over both tenants as of the same date: one
clean, one with a bad row of every kind. The dirty run succeeds, every bad row is in
cerniq_rejected_source_rows with its rule, and every client's results (the write-back tables'
fingerprints) are byte-identical to the clean run's.
"""

from __future__ import annotations

import datetime as dt
import uuid
from uuid import UUID

import psycopg
from dagster import AssetKey

from dagster_cerniq.ops.instance import cerniq_instance
from dagster_cerniq.ops.pipeline import run_pipeline
from dagster_cerniq.ops.report import pipeline_report
from tests.conftest import GENERATED_AS_OF, generated
from tests.fingerprints import FINGERPRINTS

AS_OF = GENERATED_AS_OF
DAY = dt.timedelta(days=1)
# The checks the app's own tables may lack: migration 000 only creates the missing tables.
SOURCE_TABLES = (
    "gold_orders", "gold_client_messages", "gold_invoices", "gold_support_tickets",
    "gold_nps_surveys",
)  # fmt: skip


def drop_the_checks(conn: psycopg.Connection) -> None:
    """The source tables as an app may have them: no CHECK constraints, no foreign key to the
    client, a nullable message body and order value."""
    constraints = conn.execute(
        "select conrelid::regclass::text, conname from pg_constraint "
        "where conrelid::regclass::text = any(%s) and (contype = 'c' or (contype = 'f' "
        "and conkey = array[(select attnum from pg_attribute where attrelid = conrelid "
        "and attname = 'client_id')]))",
        (list(SOURCE_TABLES),),
    ).fetchall()
    for table, name in constraints:
        conn.execute(f'alter table {table} drop constraint "{name}"')
    conn.execute("alter table gold_client_messages alter column body drop not null")
    conn.execute("alter table gold_orders alter column total_value drop not null")


def at(days_before: int) -> dt.datetime:
    day = dt.datetime.combine(AS_OF, dt.time(10), tzinfo=dt.UTC)
    return day - days_before * DAY


def insert_bad_rows(conn: psycopg.Connection, x: UUID, y: UUID) -> dict[tuple[str, UUID], str]:
    """One bad row of each kind, for a buyer of tenant X (some claiming tenant Y); returns
    (table, id) -> the rule each must be rejected with."""
    (client,) = conn.execute(
        "select client_id from gold_orders where tenant_id = %s and status = 'DELIVERED' "
        "group by client_id order by count(*) desc, client_id limit 1",
        (x,),
    ).fetchone()
    expected: dict[tuple[str, UUID], str] = {}

    def add(table: str, rule: str, values: dict[str, object]) -> None:
        row_id = uuid.uuid4()
        values = {"id": row_id, "client_id": client, "tenant_id": x, **values}
        columns = ", ".join(values)
        marks = ", ".join(["%s"] * len(values))
        conn.execute(f"insert into {table} ({columns}) values ({marks})", list(values.values()))
        expected[(table, row_id)] = rule

    delivered = {"status": "DELIVERED", "ordered_at": at(6), "delivered_at": at(3)}
    add(
        "gold_orders",
        "ORDER_VALUE_NEGATIVE",
        {**delivered, "total_value": -999_000_000, "currency": "RON"},
    )
    add("gold_orders", "CURRENCY_NOT_RON", {**delivered, "total_value": 5000, "currency": "EUR"})
    add("gold_orders", "ORDER_VALUE_MISSING", {**delivered, "total_value": None, "currency": "RON"})
    add(
        "gold_orders",
        "CLIENT_OF_OTHER_TENANT",
        {**delivered, "tenant_id": y, "total_value": 1200, "currency": "RON"},
    )
    add(
        "gold_orders",
        "CLIENT_UNKNOWN",
        {**delivered, "client_id": uuid.uuid4(), "total_value": 1200, "currency": "RON"},
    )

    inbound = {"direction": "INBOUND", "channel": "EMAIL", "sent_at": at(2)}
    add("gold_client_messages", "MESSAGE_BODY_EMPTY", {**inbound, "body": None})
    add("gold_client_messages", "MESSAGE_BODY_EMPTY", {**inbound, "body": " \n\t "})
    complaint = "Prețul e prea mare, concurența oferă mai ieftin. Ne gândim să renunțăm."
    add(
        "gold_client_messages",
        "CLIENT_OF_OTHER_TENANT",
        {**inbound, "tenant_id": y, "body": complaint},
    )

    add(
        "gold_invoices",
        "INVOICE_DUE_BEFORE_ISSUED",
        {"amount": 4000, "currency": "RON", "issued_at": at(40), "due_at": at(70)},
    )
    add(
        "gold_invoices",
        "CLIENT_OF_OTHER_TENANT",
        {"tenant_id": y, "amount": 4000, "currency": "RON", "issued_at": at(70), "due_at": at(40)},
    )

    add(
        "gold_support_tickets",
        "CLIENT_OF_OTHER_TENANT",
        {
            "tenant_id": y,
            "subject": "Livrare întârziată",
            "priority": "HIGH",
            "opened_at": at(5),
            "is_escalated": True,
            "escalated_at": at(4),
        },
    )

    answered = {
        "survey_type": "POST_ORDER",
        "channel": "EMAIL",
        "status": "SENT",
        "scheduled_at": at(4),
        "sent_at": at(4),
        "responded_at": at(2),
    }
    add("gold_nps_surveys", "NPS_SCORE_OUT_OF_RANGE", {**answered, "score": 11})
    add("gold_nps_surveys", "NPS_SCORE_OUT_OF_RANGE", {**answered, "score": -1})
    add("gold_nps_surveys", "CLIENT_OF_OTHER_TENANT", {**answered, "tenant_id": y, "score": 2})
    return expected


def results(url: str, tenant: UUID, leaving_out: list[UUID]) -> dict[str, tuple[int, str]]:
    """The write-back tables' fingerprints (tests/fingerprints.py), without the given rows (the
    bad NPS rows themselves sit in gold_nps_surveys, a write-back table)."""
    with psycopg.connect(url) as conn:
        return {
            table: conn.execute(
                f"select count(*), md5(coalesce(string_agg(r::text, '|' order by r::text), '')) "
                f"from (select {columns} from {table} "
                f"where tenant_id = %s and id <> all(%s)) r",
                (tenant, leaving_out),
            ).fetchone()
            for table, columns in FINGERPRINTS.items()
        }


def run_ok(url: str, tenants: list[UUID]) -> str:
    runs = run_pipeline(url, tenants, AS_OF)
    assert [r.success for r in runs] == [True]
    return runs[0].run_id


def test_bad_source_rows_are_rejected_and_change_no_other_result(admin_url: str) -> None:
    with generated(admin_url) as (url, tenants):
        run_ok(url, tenants)
        clean = {tenant: results(url, tenant, []) for tenant in tenants}

    with generated(admin_url) as (url, tenants):
        x, y = tenants
        with psycopg.connect(url) as conn:
            drop_the_checks(conn)
            expected = insert_bad_rows(conn, x, y)
        run_id = run_ok(url, tenants)
        injected = [row_id for _, row_id in expected]

        # every client's results are those of the clean run
        for tenant in tenants:
            assert results(url, tenant, injected) == clean[tenant], tenant

        with psycopg.connect(url) as conn:
            recorded = conn.execute(
                "select source_table, source_id, rule, tenant_id, resolved_at is null, "
                "first_seen_at = last_seen_at from cerniq_rejected_source_rows"
            ).fetchall()
            assert {(t, i): rule for t, i, rule, *_ in recorded} == expected
            assert all(is_open and first_is_last for *_, is_open, first_is_last in recorded)
            # a cross-tenant row is rejected under the tenant it claims
            claims = {(t, i): tenant for t, i, _, tenant, *_ in recorded}
            cross = [k for k, rule in expected.items() if rule == "CLIENT_OF_OTHER_TENANT"]
            assert {claims[k] for k in cross} == {y}
            # nothing was made of them: no state of X's client under Y, no analysis of an
            # empty body, no negative revenue, no out-of-range NPS mirrored
            assert conn.execute(
                "select count(*) from gold_sentiment_analysis where source_id = any(%s)",
                (injected,),
            ).fetchone() == (0,)
            assert conn.execute(
                "select count(*) from gold_nurturing_state s join gold_clients c "
                "on c.id = s.client_id where s.tenant_id <> c.tenant_id"
            ).fetchone() == (0,)
            assert conn.execute(
                "select count(*) from gold_nurturing_state "
                "where total_revenue < 0 or nps_score not between 0 and 10"
            ).fetchone() == (0,)
            (line,) = [
                line
                for line in pipeline_report(conn, x)
                if line.startswith("Source rows rejected (table, rule): ")
            ]
        assert "gold_client_messages MESSAGE_BODY_EMPTY 2" in line
        assert "gold_orders ORDER_VALUE_NEGATIVE 1" in line

        # the counts are in the run's metadata
        instance = cerniq_instance(url)
        event = instance.get_latest_materialization_event(AssetKey("rejected_source_rows"))
        assert event.run_id == run_id
        metadata = event.asset_materialization.metadata
        assert metadata["rejected_rows"].value == len(expected)
        assert metadata["rejected_rows_new"].value == len(expected)
        by_rule = metadata["rejected_rows_by_table_and_rule"].value
        assert by_rule["gold_nps_surveys NPS_SCORE_OUT_OF_RANGE"] == 2
        assert sum(by_rule.values()) == len(expected)

        # the app fixes a row: the next run marks it resolved and keeps the others open
        negative = next(k for k, r in expected.items() if r == "ORDER_VALUE_NEGATIVE")
        with psycopg.connect(url) as conn:
            conn.execute("update gold_orders set total_value = 0 where id = %s", (negative[1],))
        run_ok(url, [x])
        with psycopg.connect(url) as conn:
            still_open = conn.execute(
                "select source_table, source_id from cerniq_rejected_source_rows "
                "where resolved_at is null and first_seen_at < last_seen_at"
            ).fetchall()
            resolved = conn.execute(
                "select source_table, source_id from cerniq_rejected_source_rows "
                "where resolved_at is not null"
            ).fetchall()
        assert resolved == [negative]
        of_x = {k for k in expected if k != negative and claims[k] == x}
        assert set(still_open) == of_x
