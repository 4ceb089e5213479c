"""The synthetic data generator: determinism, constraints and the patterns analytics rely on."""

from __future__ import annotations

import datetime as dt
import re
import uuid

import numpy as np
import psycopg
import pytest

from dagster_cerniq.synthetic import GenerationSummary, generate
from dagster_cerniq.synthetic import vocabulary as vocab
from dagster_cerniq.synthetic.encoding import format_fixed_point, format_timestamps

AS_OF = dt.date(2025, 11, 20)
END_OF_AS_OF = dt.datetime.combine(AS_OF + dt.timedelta(days=1), dt.time(), dt.UTC)
TENANTS = 2
CLIENTS = 200
# (county, locality, latitude, longitude) of every town the generator places farms around.
TOWNS = [
    (county.name, town.name, town.latitude, town.longitude)
    for county in vocab.COUNTIES
    for town in county.localities
]
GENERATED_TABLES = (
    "tenants",
    "users",
    "gold_clients",
    "gold_contacts",
    "gold_orders",
    "gold_invoices",
    "gold_client_messages",
    "gold_support_tickets",
    "gold_nps_surveys",
    "gold_referrals",
)
# Columns that record something that happened (deadlines such as due_at may lie ahead).
EVENT_COLUMNS = {
    "tenants": ["created_at"],
    "users": ["created_at"],
    "gold_clients": ["created_at", "updated_at"],
    "gold_contacts": ["created_at"],
    "gold_orders": ["ordered_at", "delivered_at", "created_at", "updated_at"],
    "gold_invoices": ["issued_at", "paid_at", "created_at"],
    "gold_client_messages": ["sent_at", "created_at"],
    "gold_support_tickets": ["opened_at", "closed_at", "escalated_at", "created_at"],
    "gold_nps_surveys": ["scheduled_at", "sent_at", "responded_at", "created_at", "updated_at"],
    "gold_referrals": [
        "consent_given_at",
        "consent_asked_at",
        "first_contact_at",
        "last_contact_at",
        "converted_at",
        "reward_paid_at",
        "created_at",
        "updated_at",
    ],
}
DIACRITICS = "ăâîșțşţĂÂÎȘȚŞŢ"
Generated = tuple[str, GenerationSummary]  # a database URL and what was generated into it


def fingerprints(url: str, tenant_id: uuid.UUID | None = None) -> dict[str, tuple[int, str]]:
    """Per table: the row count and an md5 of every row's full text in id order."""
    result = {}
    with psycopg.connect(url) as conn:
        for table in GENERATED_TABLES:
            tenant_column = "id" if table == "tenants" else "tenant_id"
            where = f"where t.{tenant_column} = %(tenant)s" if tenant_id else ""
            count, digest = conn.execute(
                f"select count(*), md5(coalesce(string_agg(t::text, E'\\n' order by t.id), ''))"
                f" from {table} t {where}",
                {"tenant": tenant_id},
            ).fetchone()
            result[table] = (count, digest)
    return result


def clear(url: str) -> None:
    """Empty every generated table, as if the database were fresh."""
    with psycopg.connect(url) as conn:
        conn.execute("truncate tenants cascade")


def small_run(url: str, seed: int, tenants: int = TENANTS) -> GenerationSummary:
    return generate(url, tenants, CLIENTS, seed, AS_OF, progress=False)


def scalar(conn: psycopg.Connection, query: str, *params: object) -> object:
    return conn.execute(query, params).fetchone()[0]


def is_valid_cui(cui: str) -> bool:
    """Romanian fiscal code: digits before the check digit, right-aligned under 753217532."""
    if not cui.isdigit() or not 2 <= len(cui) <= 10:
        return False
    body, check = cui[:-1], int(cui[-1])
    weights = "753217532"[-len(body) :]
    total = sum(int(weight) * int(digit) for weight, digit in zip(weights, body, strict=True))
    return check == total * 10 % 11 % 10


# -- determinism -----------------------------------------------------------------------------


def test_same_seed_gives_identical_rows_and_another_seed_differs(migrated_db: str) -> None:
    first = small_run(migrated_db, seed=7)
    first_tables = fingerprints(migrated_db)
    clear(migrated_db)
    second = small_run(migrated_db, seed=7)
    assert fingerprints(migrated_db) == first_tables
    assert second.tenant_ids == first.tenant_ids
    assert second.rows == first.rows
    assert all(count > 0 for count, _ in first_tables.values())

    clear(migrated_db)
    other = small_run(migrated_db, seed=8)
    other_tables = fingerprints(migrated_db)
    assert set(other.tenant_ids).isdisjoint(first.tenant_ids)
    assert all(other_tables[table] != first_tables[table] for table in GENERATED_TABLES)


def test_a_tenant_does_not_depend_on_how_many_tenants_are_generated(migrated_db: str) -> None:
    two = small_run(migrated_db, seed=11, tenants=2)
    second_tenant = fingerprints(migrated_db, two.tenant_ids[1])
    clear(migrated_db)
    three = small_run(migrated_db, seed=11, tenants=3)
    assert three.tenant_ids[:2] == two.tenant_ids
    assert fingerprints(migrated_db, three.tenant_ids[1]) == second_tenant


def test_explicit_tenant_ids_are_used(migrated_db: str) -> None:
    chosen = [uuid.UUID(int=1, version=4), uuid.UUID(int=2, version=4)]
    summary = generate(migrated_db, 2, 5, 1, AS_OF, progress=False, tenant_ids=chosen)
    assert summary.tenant_ids == chosen
    with psycopg.connect(migrated_db) as conn:
        rows = conn.execute("select id from tenants order by id").fetchall()
    assert [row[0] for row in rows] == chosen


# -- content ---------------------------------------------------------------------------------


@pytest.fixture
def generated(migrated_db: str) -> Generated:
    return migrated_db, small_run(migrated_db, seed=3)


def test_summary_counts_the_rows_written(generated: Generated) -> None:
    url, summary = generated
    assert set(summary.rows) == set(GENERATED_TABLES)
    assert summary.rows["tenants"] == TENANTS
    assert summary.rows["gold_clients"] == TENANTS * CLIENTS
    assert summary.seconds > 0
    assert {table: count for table, (count, _) in fingerprints(url).items()} == summary.rows


def test_no_event_after_the_as_of_day(generated: Generated) -> None:
    url, _ = generated
    with psycopg.connect(url) as conn:
        for table, columns in EVENT_COLUMNS.items():
            for column in columns:
                latest = scalar(conn, f"select max({column}) from {table}")
                assert latest is not None, f"{table}.{column} is never set"
                assert latest < END_OF_AS_OF, f"{table}.{column} = {latest}"
        earliest_order = scalar(conn, "select min(ordered_at) from gold_orders")
        assert END_OF_AS_OF - earliest_order < dt.timedelta(days=2 * 365 + 31)
        assert END_OF_AS_OF - earliest_order > dt.timedelta(days=2 * 365 - 31)


def test_clients_look_like_romanian_farms(generated: Generated) -> None:
    url, _ = generated
    with psycopg.connect(url) as conn:
        clients = conn.execute(
            "select cui, county, st_x(location::geometry), st_y(location::geometry), segment,"
            " account_manager_id is not null from gold_clients"
        ).fetchall()
        # Farms live in villages around their locality's town (up to 25 km, a few hundred
        # metres of scatter).
        (town_km,) = conn.execute(
            "select max(st_distance(c.location, st_point(t.lon, t.lat, 4326)::geography)) / 1000"
            " from gold_clients c join (select * from unnest(%s::text[], %s::text[],"
            "  %s::float8[], %s::float8[]) as u(county, locality, lat, lon)) t"
            "  on t.county = c.county and t.locality = c.locality"
            " where c.location is not null",
            [list(column) for column in zip(*TOWNS, strict=True)],
        ).fetchone()
        managers_ok = scalar(
            conn,
            "select bool_and(u.is_active and u.role = 'ACCOUNT_MANAGER'"
            " and u.tenant_id = c.tenant_id)"
            " from gold_clients c join users u on u.id = c.account_manager_id",
        )
        users_per_tenant = conn.execute(
            "select count(*), count(*) filter (where role <> 'ACCOUNT_MANAGER')"
            " from users group by tenant_id"
        ).fetchall()
        contacts_per_client = conn.execute(
            "select count(k.id) from gold_clients c left join gold_contacts k on k.client_id = c.id"
            " group by c.id"
        ).fetchall()
        phones = [row[0] for row in conn.execute("select phone from gold_contacts")]
    assert all(is_valid_cui(cui) for cui, *_ in clients)
    located = [(lon, lat) for _, _, lon, lat, *_ in clients if lon is not None]
    assert all(20.2 < lon < 29.8 and 43.5 < lat < 48.4 for lon, lat in located)
    assert 10 < town_km < 28
    # Some clients have no location on record (issue 18), most have one.
    assert 0.005 < 1 - len(located) / len(clients) < 0.08
    counties = {county for _, county, *_ in clients}
    assert {"Constanța", "Călărași", "Teleorman"} <= counties
    assert counties <= {county.name for county in vocab.COUNTIES}
    segments = {segment for *_, segment, _ in clients}
    assert segments == {name for name, _ in vocab.SEGMENTS}
    with_manager = sum(has_manager for *_, has_manager in clients) / len(clients)
    assert 0.8 < with_manager < 1.0
    assert managers_ok
    assert all(3 <= users <= 8 and leads == 1 for users, leads in users_per_tenant)
    assert {count for (count,) in contacts_per_client} == {1, 2}
    assert all(re.fullmatch(r"\+407\d{8}", phone) for phone in phones)


def test_orders_follow_the_farming_calendar(generated: Generated) -> None:
    url, _ = generated
    with psycopg.connect(url) as conn:
        by_month = dict(
            conn.execute(
                "select extract(month from ordered_at)::int, count(*) from gold_orders group by 1"
            ).fetchall()
        )
        per_client = [
            row[0]
            for row in conn.execute(
                "select count(o.id) from gold_clients c"
                " left join gold_orders o on o.client_id = c.id group by c.id"
            )
        ]
        delivery_ok = scalar(
            conn,
            "select bool_and(delivered_at between ordered_at + interval '20 hours'"
            " and ordered_at + interval '10 days 4 hours') from gold_orders"
            " where status = 'DELIVERED'",
        )
        undelivered_have_no_date = scalar(
            conn,
            "select bool_and(delivered_at is null) from gold_orders where status <> 'DELIVERED'",
        )
        statuses = dict(
            conn.execute("select status, count(*) from gold_orders group by 1").fetchall()
        )
    peak = sum(by_month.get(month, 0) for month in (3, 4, 5, 9, 10))
    off_season = sum(by_month.get(month, 0) for month in (6, 7, 8, 12, 1, 2))
    assert peak > 1.5 * off_season
    assert 7 < np.mean(per_client) < 14
    assert 0 in per_client and 1 in per_client
    assert delivery_ok and undelivered_have_no_date
    assert statuses["DELIVERED"] > 0.85 * sum(statuses.values())
    assert statuses["CANCELLED"] > 0


def test_some_clients_go_quiet_and_some_are_new(generated: Generated) -> None:
    url, _ = generated
    with psycopg.connect(url) as conn:
        last_activity = conn.execute(
            "select greatest(max(o.ordered_at), max(m.sent_at)), min(o.ordered_at)"
            " from gold_clients c join gold_orders o on o.client_id = c.id"
            " left join gold_client_messages m"
            "   on m.client_id = c.id and m.direction = 'INBOUND'"
            " group by c.id"
        ).fetchall()
    quiet = sum(END_OF_AS_OF - last > dt.timedelta(days=60) for last, _ in last_activity)
    new = sum(END_OF_AS_OF - first < dt.timedelta(days=50) for _, first in last_activity)
    assert 0.05 < quiet / len(last_activity) < 0.4
    assert new > 0


def test_inbound_messages_mix_spellings_and_topics(generated: Generated) -> None:
    url, _ = generated
    with psycopg.connect(url) as conn:
        inbound = [
            row[0]
            for row in conn.execute(
                "select body from gold_client_messages where direction = 'INBOUND'"
            )
        ]
        channels = {row[0] for row in conn.execute("select channel from gold_client_messages")}
    plain = [body for body in inbound if not any(letter in body for letter in DIACRITICS)]
    assert 0.3 < len(plain) / len(inbound) < 0.5
    folded = [vocab.strip_diacritics(body).lower() for body in inbound]
    assert any(name in body for body in inbound for name in vocab.COMPETITORS)
    assert any("pretul e prea mare" in body for body in folded)
    assert any("mai scump" in body for body in folded)
    assert any("germinatie slaba" in body for body in folded)
    assert any("multum" in body for body in folded)
    assert channels == {"EMAIL", "WHATSAPP", "SMS", "PHONE", "WEB"}


def test_invoices_tickets_nps_and_referrals(generated: Generated) -> None:
    url, _ = generated
    with psycopg.connect(url) as conn:
        invoices_match_orders = scalar(
            conn,
            "select count(*) = (select count(*) from gold_orders where status = 'DELIVERED')"
            " and bool_and(i.amount = o.total_value and i.issued_at = o.delivered_at"
            "              and i.due_at = i.issued_at + interval '30 days')"
            " from gold_invoices i join gold_orders o on o.id = i.order_id",
        )
        overdue = scalar(
            conn,
            "select count(*) from gold_invoices"
            " where paid_at is null and due_at < %s - interval '14 days'",
            END_OF_AS_OF,
        )
        open_escalated = scalar(
            conn,
            "select count(*) from gold_support_tickets"
            " where is_escalated and closed_at is null and escalated_at >= opened_at",
        )
        escalation_flags_agree = scalar(
            conn,
            "select bool_and(is_escalated = (escalated_at is not null)) from gold_support_tickets",
        )
        nps = conn.execute(
            "select s.score, s.nps_category, s.scheduled_at = o.delivered_at + interval '3 days',"
            " s.responded_at >= s.sent_at and s.sent_at >= s.scheduled_at"
            " from gold_nps_surveys s join gold_orders o on o.id = s.order_id"
            " where o.status = 'DELIVERED' and s.status = 'RESPONDED'"
            "   and s.survey_type = 'POST_ORDER'"
        ).fetchall()
        nps_total = scalar(conn, "select count(*) from gold_nps_surveys")
        referrers = conn.execute(
            "select count(*) filter (where converted) from gold_referrals"
            " group by referrer_client_id"
        ).fetchall()
        referrals_ok = scalar(
            conn,
            "select bool_and(expires_at = created_at + interval '90 days'"
            " and converted = (converted_at is not null)"
            " and converted = (status = 'CONVERTED')"
            " and (converted_at is null or converted_at > created_at))"
            " from gold_referrals",
        )
    assert invoices_match_orders
    assert overdue > 0
    assert open_escalated > 0 and escalation_flags_agree
    assert len(nps) == nps_total > 0
    categories = {"PROMOTER": range(9, 11), "PASSIVE": range(7, 9), "DETRACTOR": range(7)}
    assert all(score in categories[category] for score, category, *_ in nps)
    assert all(on_schedule and in_order for *_, on_schedule, in_order in nps)
    promoters = sum(category == "PROMOTER" for _, category, *_ in nps)
    detractors = sum(category == "DETRACTOR" for _, category, *_ in nps)
    assert promoters > detractors
    assert referrals_ok
    assert any(converted >= 2 for (converted,) in referrers)


# -- refusals and edge cases -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("tenants", "clients", "seed", "message"),
    [
        (-1, 10, 1, "tenants must not be negative"),
        (1, -5, 1, "clients_per_tenant must not be negative"),
        (1, 10, -2, "seed must not be negative"),
    ],
)
def test_negative_arguments_are_refused_before_connecting(
    tenants: int, clients: int, seed: int, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        generate("postgresql://nobody@127.0.0.1:1/none", tenants, clients, seed, AS_OF)


def test_tenant_ids_must_match_the_tenant_count() -> None:
    with pytest.raises(ValueError, match="1 tenant ids for 2 tenants"):
        generate("postgresql://nobody@127.0.0.1:1/none", 2, 1, 1, AS_OF, tenant_ids=[uuid.uuid4()])


def test_an_existing_tenant_is_refused(migrated_db: str) -> None:
    first = generate(migrated_db, 1, 5, 1, AS_OF, progress=False)
    before = fingerprints(migrated_db)
    with pytest.raises(ValueError, match=f"tenant {first.tenant_ids[0]} already exists"):
        generate(migrated_db, 2, 5, 1, AS_OF, progress=False)
    assert fingerprints(migrated_db) == before


def test_zero_tenants_or_clients_write_little(migrated_db: str) -> None:
    nothing = generate(migrated_db, 0, 100, 1, AS_OF, progress=False)
    assert nothing.tenant_ids == [] and set(nothing.rows.values()) == {0}
    bare = generate(migrated_db, 2, 0, 5, AS_OF, progress=False)
    assert bare.rows["tenants"] == 2 and bare.rows["users"] >= 6
    assert all(count == 0 for table, count in bare.rows.items() if table.startswith("gold_"))


# -- building blocks -------------------------------------------------------------------------


def test_timestamps_and_decimals_are_formatted_exactly() -> None:
    rng = np.random.default_rng(0)
    seconds = np.concatenate(
        [rng.integers(0, 4_102_444_800, 2000), [0, 951_782_400, 4_107_542_399]]
    )  # includes 2000-02-29 and 2100-02-28 23:59:59
    expected = [
        dt.datetime.fromtimestamp(int(value), dt.UTC).strftime("%Y-%m-%d %H:%M:%S+00")
        for value in seconds
    ]
    assert [text.decode() for text in format_timestamps(seconds)] == expected
    missing = format_timestamps(np.array([0, 1]), np.array([True, False]))
    assert missing[0] == b"\\N"
    assert list(format_fixed_point(np.array([0, 5, 12345, -7, 100]), 2)) == [
        b"0.00",
        b"0.05",
        b"123.45",
        b"-0.07",
        b"1.00",
    ]


def test_vocabulary_is_safe_for_copy_text() -> None:
    texts = [
        value for name in dir(vocab) if name.isupper() for value in _strings(getattr(vocab, name))
    ]
    assert texts
    assert not [text for text in texts if any(char in text for char in "\t\n\r\\")]
    assert all(name.isascii() for name in vocab.COMPETITORS)
    assert vocab.strip_diacritics("Îngrășământ ţăran ŞTIRBEI") == "Ingrasamant taran STIRBEI"
    assert len(vocab.COUNTIES) == 42


def _strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, tuple):
        return [text for item in value for text in _strings(item)]
    return []
