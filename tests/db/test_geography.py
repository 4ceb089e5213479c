"""Geography (issue 18) on hand-built points with known distances: the real dbt models (built
for the test's tenants) and the geography step's statements (apply_geography), run twice or
after an edit. NEIGHBOR at 9.9 km and not at 10.1 km, a client without a location has no pair,
moving away deactivates a pair; a cluster that keeps most of its members keeps its id; neighbour
suggestions only for prospects that are no client and did not decline, withdrawn when the
prospect buys, named by the referral request that follows; a rerun writes nothing; a run of
tenant X leaves tenant Y untouched."""

from __future__ import annotations

import datetime as dt
import uuid
from uuid import UUID

import psycopg
import pytest

from dagster_cerniq.defs.geography.geography import apply_geography
from dagster_cerniq.defs.referrals import referral_requests
from dagster_cerniq.lib.write_back import RunScope, execute
from tests.db.test_dbt import run_dbt

AS_OF = dt.date(2026, 6, 30)
LOGICAL_TIME = dt.datetime(2026, 7, 1, tzinfo=dt.UTC)
ARAD = "SRID=4326;POINT(21.30 46.20)"
# Every table the step writes, without ids (cluster ids differ between databases) or clocks.
GEOGRAPHY_TABLES = {
    "gold_entity_relationships": """source_entity_id, target_entity_id, relation_type,
        strength, distance_meters, is_active, deactivation_reason, verification_count""",
    "gold_proximity_scores": "client_a_id, client_b_id, distance_meters, proximity_score",
    "gold_clusters": "cluster_name, member_count, advocate_count, radius_km, is_active",
    "gold_cluster_members": "cluster_id, client_id, member_role, distance_to_center_km, left_at",
    "gold_nurturing_state": "client_id, neighbor_count, geographic_cluster_id",
    "gold_referrals": """referrer_client_id, referred_prospect_id, status, expiry_reason,
        distance_from_referrer_km, same_cluster, cluster_id""",
}


class Tenant:
    """One hand-built tenant: companies placed by distance and bearing from a point."""

    def __init__(self, conn: psycopg.Connection, name: str) -> None:
        self.conn = conn
        self.id = uuid.uuid4()
        self.ids: dict[str, UUID] = {}
        self.contacts: dict[str, UUID] = {}
        conn.execute("insert into tenants (id, name) values (%s, %s)", (self.id, name))

    def company(
        self, name: str, metres: float = 0, bearing: float = 0, origin: str = ARAD,
        state: str | None = None, located: bool = True,
    ) -> UUID:  # fmt: skip
        """A company `metres` from `origin` (a point or another company) at `bearing` degrees;
        with `state`, a client with four recent completed orders and that nurturing state."""
        if origin in self.ids:
            (origin,) = self.conn.execute(
                "select location::text from gold_clients where id = %s", (self.ids[origin],)
            ).fetchone()
        (client_id,) = self.conn.execute(
            "insert into gold_clients (tenant_id, company_name, county, locality, location, "
            "created_at) values (%s, %s, 'Arad', %s, case when %s then st_project("
            "%s::geography, %s, radians(%s)) end, '2025-01-01') returning id",
            (self.id, name, name[0], located, origin, metres, bearing),
        ).fetchone()
        self.ids[name] = client_id
        (self.contacts[name],) = self.conn.execute(
            "insert into gold_contacts (tenant_id, client_id, full_name, phone, created_at) "
            "values (%s, %s, %s, '0722000000', '2025-01-01') returning id",
            (self.id, client_id, f"Contact {name}"),
        ).fetchone()
        if state:
            for days in (10, 25, 40, 55):
                self.order(name, days)
            self.conn.execute(
                "insert into gold_nurturing_state (tenant_id, client_id, current_state, "
                "state_changed_at, total_orders) values (%s, %s, %s, '2026-03-01', 4)",
                (self.id, client_id, state),
            )
        return client_id

    def order(self, name: str, days_before: int) -> None:
        delivered = dt.datetime.combine(AS_OF, dt.time(10), dt.UTC) - dt.timedelta(days_before)
        self.conn.execute(
            "insert into gold_orders (tenant_id, client_id, status, total_value, ordered_at, "
            "delivered_at) values (%s, %s, 'DELIVERED', 1000, %s, %s)",
            (self.id, self.ids[name], delivered - dt.timedelta(days=2), delivered),
        )

    def move(self, name: str, metres: float, bearing: float = 0) -> None:
        self.conn.execute(
            "update gold_clients set location = st_project(location, %s, radians(%s)) "
            "where id = %s",
            (metres, bearing, self.ids[name]),
        )

    def name_of(self, client_id: UUID) -> str:
        return next(name for name, known in self.ids.items() if known == client_id)


@pytest.fixture
def db(migrated_db: str):
    with psycopg.connect(migrated_db, autocommit=True) as conn:
        yield migrated_db, conn


def build(url: str, *tenants: Tenant) -> None:
    """The geography models, the referral requests due and their parents (parameter seeds
    too), for these tenants only."""
    run_dbt(url, "build", "--select", "+tag:worker_geography", "+fct_referral_requests_due",
            "--exclude-resource-type", "test", "--exclude-resource-type", "unit_test",
            tenants=[t.id for t in tenants], as_of=AS_OF)  # fmt: skip


def step(url: str, *tenants: Tenant) -> dict[str, int]:
    scope = RunScope(sorted(str(t.id) for t in tenants), AS_OF, LOGICAL_TIME, uuid.uuid4())
    with psycopg.connect(url) as conn, conn.transaction():
        return apply_geography(conn, scope)


def neighbours(conn: psycopg.Connection, tenant: Tenant) -> dict[frozenset[str], tuple]:
    rows = conn.execute(
        "select source_entity_id, target_entity_id, distance_meters, strength, is_active, "
        "deactivation_reason from gold_entity_relationships "
        "where tenant_id = %s and relation_type = 'NEIGHBOR'",
        (tenant.id,),
    ).fetchall()
    return {
        frozenset((tenant.name_of(a), tenant.name_of(b))): (float(d), float(s), active, why)
        for a, b, d, s, active, why in rows
    }


def active_pairs(conn: psycopg.Connection, tenant: Tenant) -> set[frozenset[str]]:
    return {pair for pair, row in neighbours(conn, tenant).items() if row[2]}


def neighbor_counts(conn: psycopg.Connection, tenant: Tenant) -> dict[str, int]:
    rows = conn.execute(
        "select client_id, neighbor_count from gold_nurturing_state where tenant_id = %s",
        (tenant.id,),
    ).fetchall()
    return {tenant.name_of(client_id): count for client_id, count in rows}


def cluster_of(conn: psycopg.Connection, tenant: Tenant) -> dict[str, UUID]:
    rows = conn.execute(
        "select m.client_id, m.cluster_id from gold_cluster_members m "
        "join gold_clusters c on c.id = m.cluster_id "
        "where m.tenant_id = %s and m.left_at is null and c.is_active",
        (tenant.id,),
    ).fetchall()
    return {tenant.name_of(client_id): cluster_id for client_id, cluster_id in rows}


def suggestions(conn: psycopg.Connection, tenant: Tenant) -> dict[tuple[str, str], tuple]:
    rows = conn.execute(
        "select r.referrer_client_id, k.client_id, r.status::text, r.expiry_reason, "
        "r.distance_from_referrer_km, r.same_cluster from gold_referrals r "
        "join gold_contacts k on k.id = r.referred_prospect_id "
        "where r.tenant_id = %s and r.referral_type = 'NEIGHBOR_STRATEGY'",
        (tenant.id,),
    ).fetchall()
    return {
        (tenant.name_of(a), tenant.name_of(b)): (status, why, float(km), same)
        for a, b, status, why, km, same in rows
    }


def fingerprint(conn: psycopg.Connection, tenant: Tenant) -> dict[str, tuple]:
    return {
        table: conn.execute(
            f"select count(*), md5(coalesce(string_agg(r::text, '|' order by r::text), '')) "
            f"from (select {columns} from {table} where tenant_id = %s) r",
            (tenant.id,),
        ).fetchone()
        for table, columns in GEOGRAPHY_TABLES.items()
    }


def farm_country(conn: psycopg.Connection, name: str = "Agro Vest") -> Tenant:
    """A (ADVOCATE) with B (LOYAL) 9.9 km north and C (a client) 10.1 km south; D, a client
    without a location; prospects P1 4 km east of A, P2 2 km north of B (its contact declined a
    referral) and P3 6 km north of B; and 30 km east, a village: K1-K5 clients and K6 a
    prospect, all within 800 m."""
    farms = Tenant(conn, name)
    farms.company("A", state="ADVOCATE")
    farms.company("B", 9900, 0, state="LOYAL_CLIENT")
    farms.company("C", 10100, 180, state="NURTURING_ACTIVE")
    farms.company("D", state="NURTURING_ACTIVE", located=False)
    farms.company("P1", 4000, 90)
    farms.company("P2", 2000, 0, origin="B")
    farms.company("P3", 6000, 0, origin="B")
    farms.company("K1", 30000, 90, state="NURTURING_ACTIVE")
    for name, metres, bearing in (("K2", 500, 0), ("K3", 500, 90), ("K4", 500, 180),
                                  ("K5", 500, 270), ("K6", 800, 45)):  # fmt: skip
        farms.company(name, metres, bearing, origin="K1",
                      state=None if name == "K6" else "NURTURING_ACTIVE")  # fmt: skip
    # K1 and K3 belong to one association (an app's gold_affiliations).
    for name in ("K1", "K3"):
        conn.execute(
            "insert into gold_affiliations (tenant_id, client_id, organization_type, "
            "organization_id, evidence_source, member_since) values (%s, %s, 'ASSOCIATION', "
            "%s, 'APP', '2025-01-01')",
            (farms.id, farms.ids[name], ASSOCIATION),
        )
    conn.execute(
        "insert into gold_referrals (tenant_id, referrer_client_id, referred_prospect_id, "
        "referral_type, referral_source, status, created_at, expires_at) values "
        "(%s, %s, %s, 'EXPLICIT', 'PHONE', 'REJECTED', '2026-03-01', '2026-06-01')",
        (farms.id, farms.ids["B"], farms.contacts["P2"]),
    )
    return farms


VILLAGE = {"K1", "K2", "K3", "K4", "K5", "K6"}
ASSOCIATION = uuid.UUID("0a550c1a-0000-4000-8000-000000000001")


def associations(conn: psycopg.Connection, tenant: Tenant) -> dict[tuple, bool]:
    rows = conn.execute(
        "select relation_type::text, source_entity_id, target_entity_id, is_active "
        "from gold_entity_relationships where tenant_id = %s and relation_type in "
        "('MEMBER_OF', 'SAME_ASSOCIATION')",
        (tenant.id,),
    ).fetchall()
    names = {**{v: k for k, v in tenant.ids.items()}, ASSOCIATION: "association"}
    return {(kind, names[a], names[b]): active for kind, a, b, active in rows}


def test_neighbours_clusters_and_suggestions_from_known_distances(db) -> None:
    url, conn = db
    farms = farm_country(conn)
    build(url, farms)
    step(url, farms)

    pairs = neighbours(conn, farms)
    village_pairs = {frozenset((a, b)) for a in VILLAGE for b in VILLAGE if a < b}
    assert set(pairs) == {
        frozenset(("A", "B")), frozenset(("A", "P1")), frozenset(("B", "P2")),
        frozenset(("B", "P3")), frozenset(("P2", "P3")), *village_pairs,
    }  # fmt: skip
    # 9.9 km at the 10 km default: NEIGHBOR, strength 100 x (1 - 9.9 / 10); 10.1 km (A-C): not.
    distance, strength, active, _ = pairs[frozenset(("A", "B"))]
    assert distance == pytest.approx(9900, abs=0.5) and strength == 1.0 and active
    assert neighbor_counts(conn, farms) == {
        "A": 2, "B": 3, "C": 0, "D": 0, "K1": 5, "K2": 5, "K3": 5, "K4": 5, "K5": 5,
    }  # fmt: skip
    (score,) = conn.execute(
        "select proximity_score from gold_proximity_scores where tenant_id = %s and "
        "%s in (client_a_id, client_b_id) and %s in (client_a_id, client_b_id)",
        (farms.id, farms.ids["A"], farms.ids["B"]),
    ).fetchone()
    assert float(score) == pytest.approx(1.0 * 0.8 + 10)  # same county, not the same locality

    # One cluster, the village (eps 3 km, 5 points); its state mirror and its counts.
    clusters = cluster_of(conn, farms)
    assert set(clusters) == VILLAGE and len(set(clusters.values())) == 1
    (members, clients, penetration), = conn.execute(
        "select member_count, advocate_count, penetration_rate from gold_clusters "
        "where tenant_id = %s and is_active", (farms.id,)
    ).fetchall()  # fmt: skip
    assert (members, clients, float(penetration)) == (6, 0, pytest.approx(83.33))
    (state_cluster,) = conn.execute(
        "select geographic_cluster_id from gold_nurturing_state where client_id = %s",
        (farms.ids["K1"],),
    ).fetchone()
    assert state_cluster == clusters["K1"]

    # Suggestions: A's nearby prospect P1, B's P3; never P2 (declined), never C (a client), and
    # no referrer is within 15 km of the village's prospect K6.
    assert suggestions(conn, farms) == {
        ("A", "P1"): ("PENDING_CONSENT", None, pytest.approx(4.0), False),
        ("B", "P3"): ("PENDING_CONSENT", None, pytest.approx(6.0), False),
    }

    # The association: each member MEMBER_OF it, the two SAME_ASSOCIATION.
    k1, k3 = sorted(("K1", "K3"), key=lambda name: farms.ids[name])
    assert associations(conn, farms) == {
        ("MEMBER_OF", "K1", "association"): True,
        ("MEMBER_OF", "K3", "association"): True,
        ("SAME_ASSOCIATION", k1, k3): True,
    }

    # A rerun of the same date writes nothing.
    before = fingerprint(conn, farms)
    build(url, farms)
    assert not any(step(url, farms).values())
    assert fingerprint(conn, farms) == before

    # The referral requests that follow name the suggestions, which then await consent.
    scope = RunScope([str(farms.id)], AS_OF, LOGICAL_TIME, uuid.uuid4())
    with psycopg.connect(url) as step_conn, step_conn.transaction():
        execute(step_conn, referral_requests.REQUEST_REFERRALS, scope)
        asked = execute(step_conn, referral_requests.ASK_NEIGHBOR_REFERRALS, scope)
    named = dict(
        conn.execute(
            "select client_id, trigger_data -> 'neighbor_referrals' from gold_nurturing_actions "
            "where tenant_id = %s and action_type = 'REFERRAL_REQUEST'",
            (farms.id,),
        ).fetchall()
    )
    assert [n["contact_id"] for n in named[farms.ids["A"]]] == [str(farms.contacts["P1"])]
    assert [n["contact_id"] for n in named[farms.ids["B"]]] == [str(farms.contacts["P3"])]
    assert named[farms.ids["A"]][0]["distance_km"] == pytest.approx(4.0)
    assert asked == 2
    assert {status for status, *_ in suggestions(conn, farms).values()} == {"AWAITING_CONSENT"}


def test_moving_and_losing_a_location_deactivate_pairs_and_the_cluster_keeps_its_id(db) -> None:
    url, conn = db
    farms = farm_country(conn)
    build(url, farms)
    step(url, farms)
    village = cluster_of(conn, farms)["K1"]

    farms.move("B", 200, 0)  # 10.1 km from A now; still near P2 and P3
    conn.execute("update gold_clients set location = null where id = %s", (farms.ids["P1"],))
    farms.move("K2", 40000, 0)  # leaves the village
    farms.company("K7", 300, 0, origin="K1", state="NURTURING_ACTIVE")  # joins it
    farms.order("P3", 3)  # the prospect buys: its suggestion is withdrawn
    conn.execute(  # K3 left the association
        "update gold_affiliations set member_until = '2026-06-01' where client_id = %s",
        (farms.ids["K3"],),
    )
    build(url, farms)
    changed = step(url, farms)

    pairs = neighbours(conn, farms)
    assert pairs[frozenset(("A", "B"))][2:] == (False, "OUT_OF_RADIUS")
    assert pairs[frozenset(("A", "P1"))][2:] == (False, "LOCATION_REMOVED")
    assert pairs[frozenset(("B", "P2"))][2]  # B moved 200 m: updated in place, still active
    assert pairs[frozenset(("B", "P2"))][0] == pytest.approx(1800, abs=1)
    assert not any(pair[2] for names, pair in pairs.items() if "K2" in names)
    assert neighbor_counts(conn, farms)["A"] == 0
    # One row per pair, ever: deactivating and updating in place added no row.
    (rows,) = conn.execute(
        "select count(*) from gold_entity_relationships where tenant_id = %s "
        "and relation_type = 'NEIGHBOR'",
        (farms.id,),
    ).fetchone()
    assert rows == len(pairs)

    # Five of the village's six members stay: the cluster keeps its id; K2 left, K7 joined.
    clusters = cluster_of(conn, farms)
    assert set(clusters) == VILLAGE - {"K2"} | {"K7"}
    assert set(clusters.values()) == {village}
    assert changed["clusters_new"] == 0 and changed["memberships_ended"] == 1
    (left,) = conn.execute(
        "select left_at from gold_cluster_members where client_id = %s", (farms.ids["K2"],)
    ).fetchone()
    assert left == LOGICAL_TIME

    # P3 is a client now: B's suggestion expires; A's P1 lost its location: it expires too.
    found = suggestions(conn, farms)
    assert found[("B", "P3")][:2] == ("EXPIRED", "TARGET_BECAME_CLIENT")
    assert found[("A", "P1")][:2] == ("EXPIRED", "TARGET_NOT_ELIGIBLE")

    k1, k3 = sorted(("K1", "K3"), key=lambda name: farms.ids[name])
    assert associations(conn, farms) == {
        ("MEMBER_OF", "K1", "association"): True,
        ("MEMBER_OF", "K3", "association"): False,
        ("SAME_ASSOCIATION", k1, k3): False,
    }

    # Back within the radius: the pair's one row is reactivated, not a second one.
    farms.move("B", 200, 180)
    build(url, farms)
    step(url, farms)
    assert neighbours(conn, farms)[frozenset(("A", "B"))][2:] == (True, None)
    (rows_after,) = conn.execute(
        "select count(*) from gold_entity_relationships where tenant_id = %s "
        "and relation_type = 'NEIGHBOR'",
        (farms.id,),
    ).fetchone()
    assert rows_after == rows


def test_a_run_of_one_tenant_leaves_the_other_untouched(db) -> None:
    url, conn = db
    x, y = farm_country(conn, "Agro X"), farm_country(conn, "Agro Y")
    build(url, x, y)
    step(url, x, y)
    y_before = fingerprint(conn, y)
    assert y_before["gold_entity_relationships"][0] > 0

    # X changes; Y's data changes too, but only X is run.
    x.move("B", 200, 0)
    y.move("B", 200, 0)
    build(url, x)
    changed = step(url, x)
    assert changed["neighbors_deactivated"] == 1
    assert fingerprint(conn, y) == y_before
    # No pair, cluster or suggestion across tenants, though X's and Y's farms share points.
    (crossing,) = conn.execute(
        "select count(*) from gold_entity_relationships r join gold_clients a on "
        "a.id = r.source_entity_id join gold_clients b on b.id = r.target_entity_id "
        "where a.tenant_id <> b.tenant_id or r.tenant_id <> a.tenant_id"
    ).fetchone()
    assert crossing == 0
