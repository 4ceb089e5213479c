"""Live-database fixtures: a throwaway PostgreSQL + PostGIS cluster and fresh databases on it;
and the test tiers (`pytest -m unit|db|e2e`), given by what a test needs, not by hand.

`CERNIQ_TEST_ADMIN_URL` points the tests at another server (a role allowed to create
databases); otherwise they start their own fast, non-durable embedded cluster and stop it after.
"""

from __future__ import annotations

import datetime as dt
import os
import socket
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from uuid import UUID

import psycopg
import pytest

from dagster_cerniq.ops import migrations
from dagster_cerniq.ops.database import with_database
from dagster_cerniq.ops.embedded import REPO_ROOT, EmbeddedPostgres
from dagster_cerniq.ops.instance import storage_database
from dagster_cerniq.synthetic import generate

TEST_PORT = int(os.environ.get("CERNIQ_TEST_PG_PORT", "54339"))


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """e2e: the tests under tests/e2e (the whole graph through Dagster, the UI); db: any other
    test that needs the live server (its fixtures reach admin_url); unit: the rest."""
    for item in items:
        if "e2e" in item.path.parts:
            item.add_marker(pytest.mark.e2e)
        elif "admin_url" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.db)
        else:
            item.add_marker(pytest.mark.unit)


@pytest.fixture(scope="session")
def admin_url() -> Iterator[str]:
    """A superuser URL on a server with PostGIS installed."""
    if os.environ.get("CERNIQ_TEST_ADMIN_URL"):
        yield os.environ["CERNIQ_TEST_ADMIN_URL"]
        return
    server = EmbeddedPostgres(
        home=Path(REPO_ROOT / ".cerniq" / "test"),
        port=TEST_PORT,
        database="postgres",
        fast_unsafe=True,
    )
    started_here = not server.is_running()
    url = server.start()
    yield url
    if started_here:
        server.stop()


@contextmanager
def new_database(admin_url: str) -> Iterator[str]:
    """A new empty database on the test server, dropped on exit."""
    name = f"cerniq_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'create database "{name}"')
    try:
        yield with_database(admin_url, name)
    finally:
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'drop database if exists "{name}" with (force)')


@pytest.fixture
def fresh_db(admin_url: str) -> Iterator[str]:
    """The URL of a new empty database, dropped after the test."""
    with new_database(admin_url) as url:
        yield url


@pytest.fixture
def migrated_db(fresh_db: str) -> str:
    """A new database with every migration applied."""
    migrations.apply_pending(fresh_db)
    return fresh_db


GENERATED_AS_OF = dt.date(2026, 10, 15)


@contextmanager
def database_env(url: str) -> Iterator[None]:
    saved = os.environ.get("CERNIQ_DATABASE_URL")
    os.environ["CERNIQ_DATABASE_URL"] = url
    try:
        yield
    finally:
        if saved is None:
            os.environ.pop("CERNIQ_DATABASE_URL", None)
        else:
            os.environ["CERNIQ_DATABASE_URL"] = saved


@contextmanager
def generated(
    admin_url: str,
    tenants: int = 2,
    clients_per_tenant: int = 120,
    as_of: dt.date = GENERATED_AS_OF,
) -> Iterator[tuple[str, list[UUID]]]:
    """A migrated database with generated tenants; its Dagster storage dropped after."""
    with new_database(admin_url) as url, database_env(url):
        migrations.apply_pending(url)
        summary = generate(url, tenants=tenants, clients_per_tenant=clients_per_tenant, seed=5,
                           as_of=as_of, progress=False)  # fmt: skip
        try:
            yield url, summary.tenant_ids
        finally:
            with psycopg.connect(admin_url, autocommit=True) as conn:
                conn.execute(f'drop database if exists "{storage_database(url)}" with (force)')


def closed_port() -> int:
    """A local TCP port nothing listens on (bound, then released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
