"""No write-back waits forever (issue 15, item 5): a session holding a lock the step needs makes
the step fail within CERNIQ_LOCK_TIMEOUT with a message naming that session, a statement
running past CERNIQ_STATEMENT_TIMEOUT is cancelled the same way, and the next run succeeds."""

import datetime as dt
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
import pytest
from dagster import AssetExecutionContext, asset, instance_for_test, materialize

from dagster_cerniq.defs.automation.partitions import tenant_partitions
from dagster_cerniq.lib.resources import CerniqDatabase
from dagster_cerniq.lib.run_dates import AS_OF_TAG
from dagster_cerniq.lib.write_back import (
    LOCK_TIMEOUT_ENV,
    STATEMENT_TIMEOUT_ENV,
    duration_setting,
    write_back,
)
from dagster_cerniq.ops.errors import CerniqError
from dagster_cerniq.ops.pipeline import run_pipeline
from tests.conftest import generated

AS_OF = dt.date(2026, 10, 15)
TENANT = "00000000-0000-4000-8000-000000000001"


@asset(partitions_def=tenant_partitions)
def touches_churn_signals(context: AssetExecutionContext, database: CerniqDatabase) -> None:
    """A write-back in miniature: the tenant lock, then the lock an insert into the table takes,
    or (with CERNIQ_TEST_SLEEP) a slow statement."""
    with write_back(context, database) as (conn, _scope):
        conn.execute("lock table gold_churn_signals in row exclusive mode")
        sleep = context.run.tags.get("test/sleep")
        if sleep:
            conn.execute("select pg_sleep(%s)", (float(sleep),))
        settings = conn.execute(
            "select current_setting('lock_timeout'), current_setting('statement_timeout'), "
            "current_setting('application_name')"
        ).fetchone()
        context.add_output_metadata({"settings": list(settings)})


@contextmanager
def blocker(url: str, statement: str, *params: object) -> Iterator[int]:
    """Another session holding a lock in an open transaction; yields its pid."""
    with psycopg.connect(url, application_name="the-blocker") as conn:
        conn.execute(statement, params)
        yield conn.info.backend_pid
        conn.rollback()


def run_tiny(url: str, instance, **tags: str):
    return materialize(
        [touches_churn_signals],
        instance=instance,
        partition_key=TENANT,
        resources={"database": CerniqDatabase(url=url)},
        tags={AS_OF_TAG: AS_OF.isoformat(), **tags},
        raise_on_error=False,
    )


def failure_message(result) -> str:
    (failure,) = [e for e in result.all_events if e.is_step_failure]
    error = failure.step_failure_data.error
    while error.cause is not None:  # Dagster wraps the step's own error
        error = error.cause
    return error.message


@pytest.fixture
def tiny(migrated_db: str, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv(LOCK_TIMEOUT_ENV, "2s")
    monkeypatch.setenv(STATEMENT_TIMEOUT_ENV, "3s")
    with instance_for_test() as instance:
        instance.add_dynamic_partitions(tenant_partitions.name, [TENANT])
        yield migrated_db, instance


def test_the_step_runs_under_the_timeouts_and_is_named(tiny) -> None:
    url, instance = tiny
    result = run_tiny(url, instance)
    assert result.success
    (materialization,) = result.asset_materializations_for_node("touches_churn_signals")
    lock, statement, name = materialization.metadata["settings"].value
    assert (lock, statement) == ("2s", "3s")
    assert name.startswith("cerniq write-back touches_churn_signals run ")


def test_a_table_lock_held_elsewhere_fails_the_step_in_time_naming_the_holder(tiny) -> None:
    url, instance = tiny
    with blocker(url, "lock table gold_churn_signals in share mode") as pid:
        began = time.monotonic()
        result = run_tiny(url, instance)
        waited = time.monotonic() - began
    assert not result.success
    assert waited < 15, f"the step waited {waited:.1f}s"
    message = failure_message(result)
    assert "waited longer than lock_timeout 2s (CERNIQ_LOCK_TIMEOUT)" in message
    assert f"blocked by pid {pid} ('the-blocker'" in message
    assert "idle in transaction" in message and "lock table gold_churn_signals" in message
    assert "the next run retries" in message
    # the blocker gone, the next run succeeds
    assert run_tiny(url, instance).success


def test_a_tenant_lock_held_elsewhere_is_named_too(tiny) -> None:
    url, instance = tiny
    with blocker(url, "select pg_advisory_xact_lock(hashtextextended(%s, 5))", TENANT) as pid:
        result = run_tiny(url, instance)
    assert not result.success
    assert f"blocked by pid {pid} ('the-blocker'" in failure_message(result)
    assert run_tiny(url, instance).success


def test_a_statement_past_the_statement_timeout_is_cancelled(tiny) -> None:
    url, instance = tiny
    began = time.monotonic()
    result = run_tiny(url, instance, **{"test/sleep": "30"})
    assert time.monotonic() - began < 20
    assert not result.success
    message = failure_message(result)
    assert "ran longer than statement_timeout 3s (CERNIQ_STATEMENT_TIMEOUT)" in message
    assert "no blocking session seen" in message


@pytest.mark.parametrize("bad", ["forever", "30 seconds", "-1s", "1.5s", "s"])
def test_a_bad_timeout_setting_is_refused(monkeypatch: pytest.MonkeyPatch, bad: str) -> None:
    monkeypatch.setenv(LOCK_TIMEOUT_ENV, bad)
    with pytest.raises(CerniqError, match=re.escape(f"{LOCK_TIMEOUT_ENV} must be a duration")):
        duration_setting(LOCK_TIMEOUT_ENV, "30s")


def test_the_pipeline_fails_the_step_then_the_next_run_succeeds(
    admin_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The reported case: a session holding SHARE on gold_churn_signals."""
    monkeypatch.setenv(LOCK_TIMEOUT_ENV, "2s")
    with generated(admin_url, tenants=1, clients_per_tenant=40) as (url, (tenant,)):
        with blocker(url, "lock table gold_churn_signals in share mode") as pid:
            (run,) = run_pipeline(url, [tenant], AS_OF)
        assert not run.success
        assert "waited longer than lock_timeout 2s" in run.error
        assert f"blocked by pid {pid} ('the-blocker'" in run.error
        (rerun,) = run_pipeline(url, [tenant], AS_OF)
        assert rerun.success, rerun.error
