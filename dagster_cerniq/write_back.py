"""What every write-back step shares: its scope (tenants, as-of date, logical time), the
per-tenant lock, and the names of the dbt marts it reads."""

from __future__ import annotations

import datetime as dt
import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import psycopg
from dagster import AssetExecutionContext
from psycopg import sql

from dagster_cerniq.dbt_project import ANALYTICS_SCHEMA_ENV, DEFAULT_ANALYTICS_SCHEMA
from dagster_cerniq.resources import CerniqDatabase
from dagster_cerniq.run_dates import as_of_from_tags, run_logical_time


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


# Autovacuum's rule for stale statistics (50 rows + 10 % changed), applied to what this
# transaction wrote, at its end rather than a minute later: the next step or run plans against
# what this one wrote. A first load left gold_hitl_tasks_e5 looking empty to the next run, whose
# escalation update then rescanned its candidates per task (4.5 s for 300 rows at `small`).
TABLES_WITH_STALE_STATISTICS = """
    select x.schemaname, x.relname
    from pg_stat_xact_user_tables x
    join pg_class c on c.oid = x.relid
    where c.relpersistence = 'p'
      and x.n_tup_ins + x.n_tup_upd + x.n_tup_del
          > current_setting('autovacuum_analyze_threshold')::integer
          + current_setting('autovacuum_analyze_scale_factor')::float8 * greatest(c.reltuples, 0)
    order by x.schemaname, x.relname
"""


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
        for schema, table in conn.execute(TABLES_WITH_STALE_STATISTICS).fetchall():
            conn.execute(sql.SQL("analyze {}").format(sql.Identifier(schema, table)))


def lock_tenants(conn: psycopg.Connection, tenant_ids: list[str]) -> None:
    """Serialise write-backs per tenant for the rest of the transaction (sorted: no deadlock)."""
    conn.execute(
        "select pg_advisory_xact_lock(hashtextextended(tenant_id, 5)) "
        "from unnest(%s::text[]) as tenant_id order by tenant_id",
        (tenant_ids,),
    )


def mart(name: str) -> sql.Composable:
    """A dbt model of the analytics schema, as a quoted identifier."""
    schema = os.environ.get(ANALYTICS_SCHEMA_ENV, DEFAULT_ANALYTICS_SCHEMA)
    return sql.Identifier(schema, name)


Relation = str | sql.Composable  # a dbt mart's name, or a staged table


def _compose(statement: str, relations: dict[str, Relation]) -> sql.Composed:
    return sql.SQL(statement).format(
        **{
            key: relation if isinstance(relation, sql.Composable) else mart(relation)
            for key, relation in relations.items()
        }
    )


def execute(conn: psycopg.Connection, statement: str, scope: RunScope, **marts: Relation) -> int:
    """Run a write-back statement whose {placeholders} name dbt marts (or staged tables);
    return rows affected."""
    return conn.execute(_compose(statement, marts), scope.params).rowcount


def count(conn: psycopg.Connection, statement: str, scope: RunScope, **marts: Relation) -> int:
    """Run a write-back statement that ends in `select count(*) ...`; return that count."""
    (rows,) = conn.execute(_compose(statement, marts), scope.params).fetchone()
    return rows


def stage(
    conn: psycopg.Connection,
    name: str,
    query: str,
    params: dict[str, object],
    **marts: Relation,
) -> sql.Identifier:
    """The rows of `query`, kept in a temporary table until the transaction ends.

    For inserts whose rows are chosen with NOT EXISTS against the table they go to: chosen
    here, inserted after. In one statement the check would read the target while it grows,
    and a plan made while the table was empty rescans it per row (quadratic on a first load).
    """
    table = sql.Identifier(name)
    conn.execute(sql.SQL("drop table if exists {}").format(table))
    conn.execute(
        sql.SQL("create temporary table {} on commit drop as ").format(table)
        + _compose(query, marts),
        params,
    )
    conn.execute(sql.SQL("analyze {}").format(table))
    return table
