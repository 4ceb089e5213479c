"""What every write-back step shares: its scope (tenants, as-of date, logical time), the
per-tenant lock, and its SQL: statements in `sql/*.sql` beside the asset, whose `{placeholders}`
are the dbt models and seeds the step declares it reads (`Reads`), so that the lineage graph
and the SQL cannot disagree.

One templating mechanism: psycopg's `sql` composition. `{name}` is a dbt relation (quoted
identifier of the analytics schema), `%(name)s` a value of the run's scope.

No step waits forever: its transaction takes its locks under `lock_timeout`
(CERNIQ_LOCK_TIMEOUT, 30s) and runs its statements under `statement_timeout`
(CERNIQ_STATEMENT_TIMEOUT, 15min). A timeout fails the step with a message naming the session
that blocked it (pid, application_name, user, state, since when, its query), seen from a
second connection while the step waited; the transaction is rolled back, and the next run
retries.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import string
import threading
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
from dagster_cerniq.lib.run_dates import (
    as_of_from_tags,
    is_replay,
    refuse_before_latest_once,
    run_logical_time,
)
from dagster_cerniq.ops.database import connect, first_line
from dagster_cerniq.ops.errors import CerniqError

ANALYTICS_SCHEMA_ENV = "CERNIQ_DBT_SCHEMA"
DEFAULT_ANALYTICS_SCHEMA = "analytics"
LIB_SQL = Path(__file__).with_name("sql")

LOCK_TIMEOUT_ENV = "CERNIQ_LOCK_TIMEOUT"
DEFAULT_LOCK_TIMEOUT = "30s"
STATEMENT_TIMEOUT_ENV = "CERNIQ_STATEMENT_TIMEOUT"
DEFAULT_STATEMENT_TIMEOUT = "15min"
# A PostgreSQL duration: a whole number and a unit (none: milliseconds); 0 turns it off.
_DURATION = re.compile(r"^(\d+)\s*(ms|s|min|h|d)?$")
_UNIT_MS = {"ms": 1, "s": 1000, "min": 60_000, "h": 3_600_000, "d": 86_400_000}


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
    """The step's tenants, as-of date and logical time; the date refused after today and, for a
    tenant run that is not a replay, before its tenants' latest evaluation."""
    as_of = as_of_from_tags(context.run.tags)
    record = context.instance.get_run_record_by_id(context.run.run_id)
    # A run of asset checks only (the dbt data tests) has no partitions: every tenant, and
    # nothing written back.
    partitioned = context.has_partition_key or context.has_partition_key_range
    if partitioned and not is_replay(context.run.tags):
        refuse_before_latest_once(
            context.instance, context.run.run_id, context.partition_keys, as_of
        )
    return RunScope(
        tenant_ids=sorted(context.partition_keys) if partitioned else [],
        as_of=as_of,
        logical_time=run_logical_time(
            as_of, record.start_time or record.create_timestamp.timestamp()
        ),
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
    context: AssetExecutionContext, database: CerniqDatabase, scope: RunScope | None = None
) -> Iterator[tuple[psycopg.Connection, RunScope]]:
    """One write-back step: its scope, and one transaction holding its tenants' locks, under
    the lock and statement timeouts; the tables it changed by more than autovacuum's
    threshold are analysed before it commits. `scope`: the step's, when it writes in batches."""
    scope = scope or run_scope(context)
    step = context.asset_key.to_user_string()
    name = application_name(f"write-back {step}", context.run.run_id)
    with (
        database.transaction(application_name=name) as conn,
        timeouts_named(conn, database.conninfo(), f"write-back {step}"),
    ):
        set_timeouts(conn)
        lock_tenants(conn, scope.tenant_ids)
        yield conn, scope
        stale = _sql_text(LIB_SQL / "tables_with_stale_statistics.sql")
        for schema, table in conn.execute(stale).fetchall():
            conn.execute(sql.SQL("analyze {}").format(sql.Identifier(schema, table)))


def application_name(purpose: str, run_id: str | None = None) -> str:
    """What pg_stat_activity shows for a connection of the pipeline (63 bytes at most)."""
    name = f"cerniq {purpose}" + (f" run {run_id[:8]}" if run_id else "")
    return name.encode("utf-8")[:63].decode("utf-8", "ignore")


def duration_setting(env: str, default: str) -> str:
    """A timeout setting from the environment, checked: e.g. `30s`, `15min`, `500ms`, `0`."""
    raw = os.environ.get(env, "").strip() or default
    if not _DURATION.match(raw):
        raise CerniqError(
            f"{env} must be a duration like 30s, 15min or 500ms (0 turns it off), got {raw!r}"
        )
    return raw


def duration_ms(value: str) -> int:
    number, unit = _DURATION.match(value).groups()
    return int(number) * _UNIT_MS[unit or "ms"]


def lock_timeout() -> str:
    return duration_setting(LOCK_TIMEOUT_ENV, DEFAULT_LOCK_TIMEOUT)


def statement_timeout() -> str:
    return duration_setting(STATEMENT_TIMEOUT_ENV, DEFAULT_STATEMENT_TIMEOUT)


def set_timeouts(
    conn: psycopg.Connection, lock: str | None = None, statement: str | None = None
) -> None:
    """`set local` lock_timeout and statement_timeout for the rest of the transaction."""
    conn.execute(
        "select set_config('lock_timeout', %s, true), set_config('statement_timeout', %s, true)",
        (lock or lock_timeout(), statement or statement_timeout()),
    )


# The sessions that block `pid`: who they are, what they do, since when.
BLOCKING_SESSIONS = """
select
    a.pid,
    coalesce(nullif(a.application_name, ''), '(no application_name)') as application_name,
    a.usename,
    coalesce(a.client_addr::text, 'local socket') as client,
    a.state,
    to_char(a.xact_start at time zone 'UTC', 'YYYY-MM-DD HH24:MI:SS"Z"') as xact_start,
    to_char(a.query_start at time zone 'UTC', 'YYYY-MM-DD HH24:MI:SS"Z"') as query_start,
    left(regexp_replace(a.query, '\\s+', ' ', 'g'), 120) as query
from pg_stat_activity as a
where a.pid = any(pg_blocking_pids(%s))
order by a.pid
"""


def describe_session(row: tuple) -> str:
    pid, app, user, client, state, xact_start, query_start, query = row
    return (
        f"pid {pid} ({app!r}, user {user}, {client}, {state}, transaction since {xact_start}, "
        f"last query at {query_start}: {query!r})"
    )


class _BlockerWatch:
    """From a second connection, who blocks `pid`, polled while the step runs: when its lock
    wait times out the wait is over and pg_blocking_pids no longer says by whom."""

    def __init__(self, conninfo: str, pid: int, interval: float) -> None:
        self._conninfo = conninfo
        self._pid = pid
        self._interval = interval
        self._stop = threading.Event()
        self.seen: list[tuple] = []
        self._thread = threading.Thread(target=self._watch, name="cerniq-lock-watch", daemon=True)

    def __enter__(self) -> _BlockerWatch:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._stop.set()
        self._thread.join(timeout=5)

    def _watch(self) -> None:
        if self._stop.wait(self._interval):  # a short step never opens the second connection
            return
        try:
            with self._connect() as conn:
                while not self._stop.is_set():
                    rows = self._blockers(conn)
                    if rows:
                        self.seen = rows
                    self._stop.wait(self._interval)
        except Exception:  # the watch only improves a message; it never fails a step
            return

    def now(self) -> list[tuple]:
        """Who blocks `pid` at this moment (the last word, when the poll saw nothing)."""
        try:
            with self._connect() as conn:
                return self._blockers(conn)
        except Exception:
            return []

    def _connect(self) -> psycopg.Connection:
        return connect(self._conninfo, autocommit=True, application_name="cerniq lock-watch")

    def _blockers(self, conn: psycopg.Connection) -> list[tuple]:
        return conn.execute(BLOCKING_SESSIONS, (self._pid,)).fetchall()


@contextmanager
def timeouts_named(
    conn: psycopg.Connection, conninfo: str, what: str, lock: str | None = None
) -> Iterator[None]:
    """Turn a lock or statement timeout inside the block into a one-line CerniqError naming
    the session(s) that blocked `conn` (the caller's transaction is rolled back)."""
    lock = lock or lock_timeout()
    statement = statement_timeout()
    shortest = min((duration_ms(v) for v in (lock, statement) if duration_ms(v) > 0), default=0)
    interval = min(1.0, shortest / 4000) if shortest else 1.0
    with _BlockerWatch(conninfo, conn.info.backend_pid, max(interval, 0.05)) as watch:
        try:
            yield
        except (psycopg.errors.LockNotAvailable, psycopg.errors.QueryCanceled) as exc:
            if isinstance(exc, psycopg.errors.LockNotAvailable):
                reason = f"waited longer than lock_timeout {lock} ({LOCK_TIMEOUT_ENV})"
            elif "statement timeout" in str(exc):
                reason = f"ran longer than statement_timeout {statement} ({STATEMENT_TIMEOUT_ENV})"
            else:
                reason = f"was cancelled ({first_line(exc)})"
            blockers = watch.seen or watch.now()
            by = (
                "blocked by " + "; ".join(describe_session(row) for row in blockers)
                if blockers
                else "no blocking session seen"
            )
            # No cause: the run's error line is this message, not the driver's.
            raise CerniqError(
                f"{what} {reason}, {by}; nothing was written, the next run retries"
            ) from None


def lock_tenants(conn: psycopg.Connection, tenant_ids: list[str]) -> None:
    """Serialise write-backs per tenant for the rest of the transaction (sorted: no deadlock)."""
    conn.execute(_sql_text(LIB_SQL / "lock_tenants.sql"), {"tenants": tenant_ids})
