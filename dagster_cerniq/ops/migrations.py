"""Schema migrations: the plain SQL files of `migrations/`, applied and rolled back by yoyo.

yoyo records applied migrations in `_yoyo_migration` and holds its lock row while it works; a
PostgreSQL advisory lock around each operation also serialises yoyo's own first-time set-up,
so two migrators started at once apply everything exactly once.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import psycopg
from yoyo import get_backend, read_migrations
from yoyo.exceptions import LockTimeout

from dagster_cerniq.ops.database import connect, first_line, require_postgis
from dagster_cerniq.ops.errors import CerniqError

MIGRATIONS_DIR = Path(__file__).resolve().parents[2] / "migrations"
# Any constant works; it only has to be the same for every migrator of this schema.
ADVISORY_LOCK_KEY = 2026011905
LOCK_TIMEOUT_SECONDS = 600


@dataclass(frozen=True)
class MigrationStatus:
    migration_id: str
    applied: bool


def apply_pending(url: str) -> list[str]:
    """Apply every pending migration, oldest first; return the ids applied (none: no-op)."""
    with _serialised(url) as backend:
        migrations = read_migrations(str(MIGRATIONS_DIR))
        pending = backend.to_apply(migrations)
        if pending:
            with connect(url) as conn:
                require_postgis(conn)
        _run(backend.apply_migrations, pending)
        return [m.id for m in pending]


def roll_back(url: str, steps: int | None) -> list[str]:
    """Roll back the newest `steps` applied migrations (all when None); return their ids."""
    if steps is not None and steps < 1:
        raise CerniqError(f"--steps must be a positive number, got {steps}")
    with _serialised(url) as backend:
        applied = backend.to_rollback(read_migrations(str(MIGRATIONS_DIR)))
        chosen = applied if steps is None else applied[:steps]
        _run(backend.rollback_migrations, chosen)
        return [m.id for m in chosen]


def status(url: str) -> list[MigrationStatus]:
    with _serialised(url) as backend:
        migrations = read_migrations(str(MIGRATIONS_DIR))
        return [MigrationStatus(m.id, backend.is_applied(m)) for m in migrations]


def _run(operation, migrations) -> None:
    try:
        operation(migrations)
    except psycopg.Error as exc:
        raise CerniqError(f"migration failed and was rolled back: {first_line(exc)}") from None


@contextmanager
def _serialised(url: str) -> Iterator[object]:
    with connect(url, autocommit=True) as lock_conn:
        lock_conn.execute(f"set lock_timeout = '{LOCK_TIMEOUT_SECONDS}s'")
        lock_conn.execute("select pg_advisory_lock(%s)", (ADVISORY_LOCK_KEY,))
        try:
            backend = get_backend(_yoyo_url(url))
            try:
                with backend.lock(timeout=LOCK_TIMEOUT_SECONDS):
                    yield backend
            except LockTimeout as exc:
                raise CerniqError(f"another migrator holds the lock: {exc}") from None
            finally:
                backend.connection.close()
        finally:
            lock_conn.execute("select pg_advisory_unlock(%s)", (ADVISORY_LOCK_KEY,))


def _yoyo_url(url: str) -> str:
    """yoyo picks its driver from the URL scheme; ours is psycopg 3."""
    return "postgresql+psycopg://" + url.split("://", 1)[1]
