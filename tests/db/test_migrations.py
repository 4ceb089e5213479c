"""Migrations on a live server: the seed's schema exactly, rollbacks, idempotence, concurrency."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import psycopg
import pytest

from dagster_cerniq.ops import migrations
from tests.seed_catalog import (
    normalize_default,
    normalize_sql,
    seed_enums,
    seed_indexes,
    seed_sql_blocks,
    seed_tables,
)

MIGRATIONS_DIR = migrations.MIGRATIONS_DIR
SEED_MIGRATIONS = [
    "20260119_001_create_e5_enums",
    "20260119_002_create_nurturing_tables",
    "20260119_003_create_churn_tables",
    "20260119_004_create_referral_tables",
    "20260119_008_create_hitl_e5_tables",
]
BASE_TABLES = [
    "tenants",
    "users",
    "gold_clients",
    "gold_contacts",
    "gold_orders",
    "gold_client_messages",
    "gold_invoices",
    "gold_support_tickets",
]
DESIGNED_TABLES = [
    "gold_proximity_scores",
    "gold_clusters",
    "gold_cluster_members",
    "gold_associations",
    "gold_ouai_registry",
    "gold_cooperatives",
    "gold_affiliations",
    "gold_kol_profiles",
    "gold_nps_surveys",
    "gold_content_drips",
    "gold_competitor_intel",
    "gold_winback_campaigns",
]


def migration_files() -> list[str]:
    return sorted(
        p.stem for p in MIGRATIONS_DIR.glob("*.sql") if not p.name.endswith(".rollback.sql")
    )


def created_tables(migration: str) -> set[str]:
    """The tables a migration file creates."""
    sql = (MIGRATIONS_DIR / f"{migration}.sql").read_text()
    return set(re.findall(r"CREATE TABLE (?:IF NOT EXISTS )?(\w+)", sql))


def catalog(url: str) -> dict[str, object]:
    """Every column, index, enum label and constraint of the public schema."""
    with psycopg.connect(url) as conn:
        columns = conn.execute(
            """
            select c.relname, a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull,
                   pg_get_expr(d.adbin, d.adrelid)
            from pg_attribute a
            join pg_class c on c.oid = a.attrelid
            join pg_namespace n on n.oid = c.relnamespace
            left join pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum
            where n.nspname = 'public' and c.relkind = 'r' and a.attnum > 0
              and not a.attisdropped and c.relname not like '\\_yoyo%%'
            order by 1, 2
            """
        ).fetchall()
        indexes = conn.execute(
            "select tablename, indexname, indexdef from pg_indexes where schemaname = 'public' "
            "and tablename not like '\\_yoyo%%' order by 1, 2"
        ).fetchall()
        enums = conn.execute(
            "select t.typname, e.enumlabel from pg_enum e join pg_type t on t.oid = e.enumtypid "
            "order by t.typname, e.enumsortorder"
        ).fetchall()
        constraints = conn.execute(
            "select conrelid::regclass::text, conname, pg_get_constraintdef(oid) "
            "from pg_constraint where connamespace = 'public'::regnamespace order by 1, 2"
        ).fetchall()
    return {"columns": columns, "indexes": indexes, "enums": enums, "constraints": constraints}


def table_names(url: str) -> set[str]:
    with psycopg.connect(url) as conn:
        rows = conn.execute(
            "select tablename from pg_tables where schemaname = 'public'"
        ).fetchall()
    return {name for (name,) in rows}


def run_cli(*args: str, url: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "CERNIQ_DATABASE_URL": url}
    return subprocess.run(
        [sys.executable, "-m", "dagster_cerniq", *args],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=300,
    )


def test_seed_migrations_are_the_seed_sql_unchanged() -> None:
    blocks = seed_sql_blocks()
    for name in SEED_MIGRATIONS:
        assert (MIGRATIONS_DIR / f"{name}.sql").read_text() == blocks[name], name


def test_step_rollbacks_compose_to_the_seed_rollback_script() -> None:
    def statements(sql: str) -> list[str]:
        return [line for line in sql.splitlines() if line.startswith("DROP ")]

    composed = []
    for name in reversed(migration_files()):
        if not re.match(r"20260119_00[1-8]_", name):
            continue
        composed += statements((MIGRATIONS_DIR / f"{name}.rollback.sql").read_text())
    seed_script = seed_sql_blocks()["20260119_rollback_all_e5"]
    assert composed == statements(seed_script)
    assert (MIGRATIONS_DIR / "rollback" / "20260119_rollback_all_e5.sql").read_text() == seed_script


def test_every_migration_has_a_rollback() -> None:
    for name in migration_files():
        assert (MIGRATIONS_DIR / f"{name}.rollback.sql").exists(), name


def test_all_migrations_apply_on_an_empty_database(fresh_db: str) -> None:
    assert migrations.apply_pending(fresh_db) == migration_files()
    present = table_names(fresh_db)
    assert set(seed_tables()) | set(BASE_TABLES) | set(DESIGNED_TABLES) <= present
    with psycopg.connect(fresh_db) as conn:
        assert conn.execute("select extname from pg_extension where extname = 'postgis'").fetchone()


# Seed columns a later migration changed on purpose, with the type they have now: SPEC §5's
# year-over-year order_frequency_change passes 999.99 % (migration 014).
WIDENED_SEED_COLUMNS = {("gold_churn_factors", "order_frequency_change"): "numeric(8,2)"}


def test_seed_tables_have_the_seed_columns_types_nullability_and_defaults(migrated_db: str) -> None:
    actual: dict[str, dict[str, tuple[str, bool, str | None]]] = {}
    for table, column, data_type, not_null, default in catalog(migrated_db)["columns"]:
        actual.setdefault(table, {})[column] = (data_type, not not_null, normalize_default(default))
    for table, columns in seed_tables().items():
        assert set(columns) <= set(actual[table]), table
        # Columns later migrations add (e.g. the work queue's, 015) never break a writer.
        for added in set(actual[table]) - set(columns):
            _, nullable, default = actual[table][added]
            assert nullable or default is not None, f"{table}.{added}"
        for name, seed in columns.items():
            data_type = WIDENED_SEED_COLUMNS.get((table, name), seed.data_type)
            assert actual[table][name] == (data_type, seed.nullable, seed.default), (
                f"{table}.{name}"
            )


def test_seed_enums_have_the_seed_labels_in_order(migrated_db: str) -> None:
    labels: dict[str, list[str]] = {}
    for name, label in catalog(migrated_db)["enums"]:
        labels.setdefault(name, []).append(label)
    for name, seed_labels in seed_enums().items():
        assert labels[name] == seed_labels, name


def test_seed_indexes_exist_as_declared(migrated_db: str) -> None:
    actual = {
        name: (table, definition) for table, name, definition in catalog(migrated_db)["indexes"]
    }
    for name, seed in seed_indexes().items():
        table, definition = actual[name]
        assert table == seed.table, name
        assert definition.startswith("CREATE UNIQUE INDEX" if seed.unique else "CREATE INDEX"), name
        using = re.search(r"USING (\w+) \((.*?)\)(?: WHERE (.*))?$", definition)
        assert using is not None, definition
        assert using.group(1) == seed.method, name
        assert normalize_sql(using.group(2)) == seed.columns, name
        predicate = normalize_sql(using.group(3)) if using.group(3) else None
        assert predicate == seed.predicate, name


def test_rollback_all_leaves_nothing_and_reapplying_works(migrated_db: str) -> None:
    before = catalog(migrated_db)
    rolled = migrations.roll_back(migrated_db, steps=None)
    assert rolled == list(reversed(migration_files()))
    remaining = table_names(migrated_db)
    created = set(seed_tables()) | set(BASE_TABLES) | set(DESIGNED_TABLES)
    assert not created & remaining
    assert "cerniq_e5_created_objects" not in remaining
    after = catalog(migrated_db)
    assert not {name for name, _ in after["enums"]} & set(seed_enums())
    assert not {name for _, name, _ in after["indexes"]} & set(seed_indexes())

    assert migrations.apply_pending(migrated_db) == migration_files()
    assert catalog(migrated_db) == before


def test_rollback_steps_undoes_only_the_newest(migrated_db: str) -> None:
    newest_two = migration_files()[-1:-3:-1]
    assert migrations.roll_back(migrated_db, steps=2) == newest_two
    with psycopg.connect(migrated_db) as conn:
        applied = {name for (name,) in conn.execute("select migration_id from _yoyo_migration")}
    assert applied == set(migration_files()) - set(newest_two)
    remaining = table_names(migrated_db)
    assert not {table for name in newest_two for table in created_tables(name)} & remaining
    still_applied = migration_files()[:-2]
    assert {table for name in still_applied for table in created_tables(name)} <= remaining
    assert migrations.apply_pending(migrated_db) == migration_files()[-2:]


def test_migrating_twice_changes_nothing(migrated_db: str) -> None:
    before = catalog(migrated_db)
    assert migrations.apply_pending(migrated_db) == []
    assert catalog(migrated_db) == before


def test_base_migration_keeps_tables_the_app_already_owns(fresh_db: str) -> None:
    with psycopg.connect(fresh_db) as conn:
        conn.execute(
            "create table tenants (id uuid primary key, name text not null, "
            "created_at timestamptz default now(), billing_plan text)"
        )
        conn.execute("insert into tenants (id, name) values (gen_random_uuid(), 'Agro Existent')")
    migrations.apply_pending(fresh_db)
    migrations.roll_back(fresh_db, steps=None)
    with psycopg.connect(fresh_db) as conn:
        assert conn.execute("select name from tenants").fetchall() == [("Agro Existent",)]
    assert "gold_clients" not in table_names(fresh_db)


def test_two_migrators_at_once_apply_each_migration_once(fresh_db: str) -> None:
    env = {**os.environ, "CERNIQ_DATABASE_URL": fresh_db}
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "dagster_cerniq", "migrate"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        for _ in range(2)
    ]
    outputs = [proc.communicate(timeout=300) for proc in procs]
    assert [proc.returncode for proc in procs] == [0, 0], outputs
    applied_lines = [
        line for out, _ in outputs for line in out.splitlines() if line.startswith("applied ")
    ]
    assert sorted(applied_lines) == [f"applied {name}" for name in migration_files()]
    with psycopg.connect(fresh_db) as conn:
        applied = conn.execute("select migration_id from _yoyo_migration").fetchall()
        applies = conn.execute(
            "select count(*) from _yoyo_log where operation = 'apply'"
        ).fetchone()[0]
    assert sorted(name for (name,) in applied) == migration_files()
    assert applies == len(migration_files())


def test_cli_migrate_and_rollback_round_trip(fresh_db: str) -> None:
    first = run_cli("migrate", url=fresh_db)
    assert first.returncode == 0, first.stderr
    second = run_cli("migrate", url=fresh_db)
    assert second.returncode == 0 and "up to date" in second.stdout
    back = run_cli("rollback", "--steps", "1", url=fresh_db)
    assert back.stdout.strip() == f"rolled back {migration_files()[-1]}"
    everything = run_cli("rollback", "--all", url=fresh_db)
    assert everything.returncode == 0
    assert not set(BASE_TABLES) & table_names(fresh_db)


@pytest.mark.parametrize(
    ("args", "url", "expected"),
    [
        (("migrate",), "postgresql://nobody@127.0.0.1:1/none", "cannot connect to PostgreSQL"),
        (("migrate",), "mysql://root@localhost/db", "malformed CERNIQ_DATABASE_URL"),
        (("migrate",), "postgresql://x@host:notaport/db", "malformed CERNIQ_DATABASE_URL"),
        (("generate", "--tenants", "-1", "--clients-per-tenant", "5", "--seed", "1"), None,
         "-1 is not in the range"),
        (("generate", "--tenants", "1", "--clients-per-tenant", "-5", "--seed", "1"), None,
         "-5 is not in the range"),
        (("show", "--tenant", "not-a-uuid"), None, "is not a valid UUID"),
        (("generate", "--tenants", "1", "--clients-per-tenant", "1", "--seed", "1",
          "--tenant-id", "42"), None, "is not a valid UUID"),
        (("rollback",), None, "exactly one of --all or --steps"),
        (("rollback", "--steps", "0"), None, "--steps must be a positive number"),
    ],
)  # fmt: skip
def test_bad_input_gets_one_line_error(
    args: tuple[str, ...], url: str | None, expected: str, migrated_db: str
) -> None:
    result = run_cli(*args, url=url or migrated_db)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("cerniq: error: ") and expected in lines[0], lines[0]


def test_database_without_postgis_gets_one_line_error(admin_url: str, fresh_db: str) -> None:
    role = "cerniq_no_superuser"
    dbname = fresh_db.rsplit("/", 1)[1]
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f"drop role if exists {role}")
        conn.execute(f"create role {role} login password 'cerniq-test'")
        conn.execute(f'alter database "{dbname}" owner to {role}')
    try:
        url = re.sub(r"://[^@]+@", f"://{role}:cerniq-test@", fresh_db)
        result = run_cli("migrate", url=url)
        assert result.returncode == 1
        assert result.stderr.strip() == (
            f"cerniq: error: database {dbname} has no PostGIS extension and role {role} may not "
            f"create it: ask a superuser to run CREATE EXTENSION postgis in {dbname}"
        )
        assert not {"tenants", "gold_nurturing_state"} & table_names(fresh_db)
    finally:
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'drop database "{dbname}" with (force)')
            conn.execute(f"drop role {role}")
