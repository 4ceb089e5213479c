"""What every write-back step shares: its scope (tenants, as-of date, logical time), the
per-tenant lock, and its SQL: statements in `sql/*.sql` beside the asset, whose `{placeholders}`
are the dbt models and seeds the step declares it reads (`Reads`), so that the lineage graph
and the SQL cannot disagree.

One templating mechanism: psycopg's `sql` composition. `{name}` is a dbt relation (quoted
identifier of the analytics schema), `%(name)s` a value of the run's scope.
"""

from __future__ import annotations

import datetime as dt
import os
import string
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import psycopg
from dagster import AssetExecutionContext
from psycopg import sql

from dagster_cerniq.lib.resources import CerniqDatabase
from dagster_cerniq.lib.run_dates import as_of_from_tags, run_logical_time

ANALYTICS_SCHEMA_ENV = "CERNIQ_DBT_SCHEMA"
DEFAULT_ANALYTICS_SCHEMA = "analytics"
LIB_SQL = Path(__file__).with_name("sql")


@dataclass(frozen=True)
class RunScope:
    tenant_ids: list[str]
    as_of: dt.date
    logical_time: dt.datetime
    # Marks the rows one step writes (gold_nurturing_actions.batch_id), for its follow-ups.
    batch_id: uuid.UUID

    @property
    def params(self) -> dict[str, object]:
        return {
            "tenants": self.tenant_ids,
            "as_of": self.as_of,
            "logical_time": self.logical_time,
            "batch_id": self.batch_id,
        }


def run_scope(context: AssetExecutionContext) -> RunScope:
    as_of = as_of_from_tags(context.run.tags)
    record = context.instance.get_run_record_by_id(context.run.run_id)
    # A run of asset checks only (the dbt data tests) has no partitions: every tenant.
    partitioned = context.has_partition_key or context.has_partition_key_range
    return RunScope(
        tenant_ids=sorted(context.partition_keys) if partitioned else [],
        as_of=as_of,
        logical_time=run_logical_time(as_of, record.create_timestamp.timestamp()),
        batch_id=uuid.uuid4(),
    )


@dataclass(frozen=True)
class Reads:
    """What a write-back step reads besides the app's tables: dbt models and seeds (by name,
    the `{placeholders}` of its SQL), the write-back assets whose tables it reads (`after`), and
    the reads of shared statements it runs (`includes`, e.g. opening HITL tasks). The asset's
    `deps` are made from it, and its statements may name no other dbt relation."""

    models: tuple[str, ...] = ()
    after: tuple[str, ...] = ()
    includes: tuple[Reads, ...] = ()

    def all_models(self) -> tuple[str, ...]:
        names = {*self.models, *(m for other in self.includes for m in other.all_models())}
        return tuple(sorted(names))

    def all_after(self) -> tuple[str, ...]:
        names = {*self.after, *(a for other in self.includes for a in other.all_after())}
        return tuple(sorted(names))


@dataclass(frozen=True)
class Statement:
    """One write-back statement, from `sql/<name>.sql`, checked against its step's Reads."""

    path: Path
    reads: Reads = field(repr=False)

    @property
    def text(self) -> str:
        return _sql_text(self.path)

    def placeholders(self) -> set[str]:
        return {name for _, name, _, _ in string.Formatter().parse(self.text) if name}

    def compose(self) -> sql.Composed:
        return sql.SQL(self.text).format(
            **{name: analytics_relation(name) for name in self.placeholders()}
        )


class UndeclaredRead(ValueError):
    """A statement names a dbt relation its step does not declare."""


@cache
def _sql_text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def statements(module_file: str, reads: Reads):
    """The loader of the `sql/` folder beside `module_file`: `load(name)` is the Statement of
    `sql/<name>.sql`; it raises UndeclaredRead (at import) when the file names a dbt relation
    the step's Reads does not declare."""
    folder = Path(module_file).with_name("sql")

    def load(name: str) -> Statement:
        statement = Statement(folder / f"{name}.sql", reads)
        undeclared = statement.placeholders() - set(reads.all_models())
        if undeclared:
            raise UndeclaredRead(
                f"{statement.path.relative_to(folder.parent.parent)} reads "
                f"{', '.join(sorted(undeclared))}, which its step's Reads does not declare"
            )
        return statement

    return load


def analytics_relation(name: str) -> sql.Identifier:
    """A dbt model or seed of the analytics schema, as a quoted identifier."""
    schema = os.environ.get(ANALYTICS_SCHEMA_ENV, DEFAULT_ANALYTICS_SCHEMA)
    return sql.Identifier(schema, name)


def execute(
    conn: psycopg.Connection, statement: Statement, scope: RunScope, **params: object
) -> int:
    """Run a write-back statement with the scope's parameters (and `params`); rows affected."""
    return conn.execute(statement.compose(), {**scope.params, **params}).rowcount


def count(conn: psycopg.Connection, statement: Statement, scope: RunScope, **params: object) -> int:
    """Run a write-back statement that ends in `select count(*) ...`; return that count."""
    (rows,) = conn.execute(statement.compose(), {**scope.params, **params}).fetchone()
    return rows


def fetch(
    conn: psycopg.Connection, statement: Statement, scope: RunScope, **params: object
) -> list[tuple]:
    """Run a statement that returns rows (a summary for the step's metadata); return them."""
    return conn.execute(statement.compose(), {**scope.params, **params}).fetchall()


def stage(
    conn: psycopg.Connection, table: str, statement: Statement, scope: RunScope, **params: object
) -> None:
    """The rows of `statement`, kept in the temporary table `table` until the transaction ends
    (the statements after it read it by that name).

    For inserts whose rows are chosen with NOT EXISTS against the table they go to: chosen
    here, inserted after. In one statement the check would read the target while it grows,
    and a plan made while the table was empty rescans it per row (quadratic on a first load).
    """
    name = sql.Identifier(table)
    conn.execute(sql.SQL("drop table if exists {}").format(name))
    conn.execute(
        sql.SQL("create temporary table {} on commit drop as ").format(name) + statement.compose(),
        {**scope.params, **params},
    )
    conn.execute(sql.SQL("analyze {}").format(name))


@contextmanager
def write_back(
    context: AssetExecutionContext, database: CerniqDatabase
) -> Iterator[tuple[psycopg.Connection, RunScope]]:
    """One write-back step: its scope, and one transaction holding its tenants' locks; the
    tables it changed by more than autovacuum's threshold are analysed before it commits."""
    scope = run_scope(context)
    with database.transaction() as conn:
        lock_tenants(conn, scope.tenant_ids)
        yield conn, scope
        stale = _sql_text(LIB_SQL / "tables_with_stale_statistics.sql")
        for schema, table in conn.execute(stale).fetchall():
            conn.execute(sql.SQL("analyze {}").format(sql.Identifier(schema, table)))


def lock_tenants(conn: psycopg.Connection, tenant_ids: list[str]) -> None:
    """Serialise write-backs per tenant for the rest of the transaction (sorted: no deadlock)."""
    conn.execute(_sql_text(LIB_SQL / "lock_tenants.sql"), {"tenants": tenant_ids})
