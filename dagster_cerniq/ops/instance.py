"""The Dagster instance: its home folder (`CERNIQ_DAGSTER_HOME`, default `dagster_home/` in the
embedded server's folder, `.cerniq/`), made 0700 with the dagster.yaml rendered from the
repository's template `dagster_home/dagster.yaml`; its storage in `<database>_dagster` on the
same PostgreSQL server as the data."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

import psycopg
from dagster import DagsterInstance
from psycopg.conninfo import conninfo_to_dict

from dagster_cerniq.ops.database import connect, with_database
from dagster_cerniq.ops.embedded import REPO_ROOT, EmbeddedPostgres

DAGSTER_HOME_ENV = "CERNIQ_DAGSTER_HOME"
DAGSTER_YAML_TEMPLATE = REPO_ROOT / "dagster_home" / "dagster.yaml"


def dagster_home() -> Path:
    """The Dagster instance's folder: `CERNIQ_DAGSTER_HOME`, else `<embedded home>/dagster_home`."""
    configured = os.environ.get(DAGSTER_HOME_ENV, "").strip()
    if configured:
        return Path(configured).expanduser().resolve()
    return EmbeddedPostgres.default().home / "dagster_home"


def prepare_dagster_home() -> Path:
    """Create the folder (0700: run logs and storage settings are the owner's only) with its
    dagster.yaml (0600), rewritten when the template changed; returns the folder."""
    home = dagster_home()
    home.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.chmod(home, 0o700)
    target = home / "dagster.yaml"
    text = DAGSTER_YAML_TEMPLATE.read_text(encoding="utf-8")
    current = target.read_text(encoding="utf-8") if target.exists() else None
    if current != text:
        # Atomic: another cerniq process may read it meanwhile.
        fd, tmp = tempfile.mkstemp(dir=home, prefix=".dagster.yaml.")
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(text)
        os.replace(tmp, target)
    os.chmod(target, 0o600)
    return home


def storage_database(database_url: str) -> str:
    return f"{conninfo_to_dict(database_url).get('dbname', 'cerniq')}_dagster"


def configure_instance_environment(database_url: str) -> dict[str, str]:
    """Point DAGSTER_HOME and the storage variables of dagster.yaml at this server; create the
    storage database when missing. Returns the variables set."""
    params = conninfo_to_dict(database_url)
    storage_db = storage_database(database_url)
    with connect(database_url, autocommit=True) as conn:
        exists = conn.execute("select 1 from pg_database where datname = %s", (storage_db,))
        if exists.fetchone() is None:
            # Another process may create it meanwhile.
            with contextlib.suppress(psycopg.errors.DuplicateDatabase):
                conn.execute(f'create database "{storage_db}"')
    with connect(with_database(database_url, storage_db)):
        pass  # fails with a clear message when the role cannot reach it
    values = {
        "DAGSTER_HOME": str(prepare_dagster_home()),
        "CERNIQ_DAGSTER_PG_USER": params.get("user", "postgres"),
        "CERNIQ_DAGSTER_PG_PASSWORD": params.get("password", ""),
        "CERNIQ_DAGSTER_PG_HOST": params.get("host", "127.0.0.1"),
        "CERNIQ_DAGSTER_PG_PORT": str(params.get("port", "5432")),
        "CERNIQ_DAGSTER_PG_DB": storage_db,
        # A run over n tenant partitions records one materialization per asset and tenant:
        # stored in batches, one insert per thousand instead of one per event.
        "DAGSTER_EVENT_BATCH_SIZE": os.environ.get("DAGSTER_EVENT_BATCH_SIZE", "1000"),
        # Creating that run also records a "planned" event per asset and tenant, one insert
        # each (52 s of a 95 s run at 1,000 tenants). This records one per asset, holding the
        # tenant range. Dagster's price: a failed run shows its tenants' partitions as missing,
        # not failed (the run itself shows failed). Set it to false for the per-tenant marks.
        "DAGSTER_EMIT_PARTITION_SUBSET_IN_PLANNED_EVENTS": os.environ.get(
            "DAGSTER_EMIT_PARTITION_SUBSET_IN_PLANNED_EVENTS", "true"
        ),
    }
    os.environ.update(values)
    return values


def cerniq_instance(database_url: str) -> DagsterInstance:
    configure_instance_environment(database_url)
    instance = DagsterInstance.get()
    # dagster-postgres opens a new connection for every event it stores unless told otherwise,
    # and a run over n tenants stores two events (planned, materialized) per asset and tenant:
    # at 1,000 tenants that was 200,000 connections and six minutes. One pooled connection
    # per storage instead (what the webserver does), no statement timeout.
    instance.optimize_for_webserver(statement_timeout=0, pool_recycle=3600, max_overflow=4)
    return instance
