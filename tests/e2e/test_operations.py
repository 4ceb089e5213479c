"""Operating `cerniq run`: the as-of guards, killed runs, and one line per failure."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psycopg
import pytest
from dagster import DagsterRunStatus

from dagster_cerniq.definitions import defs
from dagster_cerniq.defs.automation.jobs import nurturing_job
from dagster_cerniq.defs.automation.partitions import run_tags
from dagster_cerniq.defs.dbt.project import DBT_PROJECT_DIR
from dagster_cerniq.lib.run_dates import today
from dagster_cerniq.ops.instance import cerniq_instance, prepare_dagster_home
from dagster_cerniq.ops.pipeline import PID_TAG, run_pipeline
from tests.conftest import GENERATED_AS_OF, closed_port, generated

WEEK_BEFORE = GENERATED_AS_OF - dt.timedelta(days=7)


def cerniq(
    url: str, *args: str, timeout: int = 600, **env_vars: str
) -> subprocess.CompletedProcess:
    env = {**os.environ, "CERNIQ_DATABASE_URL": url, **env_vars}
    return subprocess.run(
        [sys.executable, "-m", "dagster_cerniq", *args],
        env=env, capture_output=True, text=True, timeout=timeout, check=False,
    )  # fmt: skip


def one_error_line(result: subprocess.CompletedProcess) -> str:
    lines = result.stderr.strip().splitlines()
    assert result.returncode != 0 and len(lines) == 1, (result.stdout, result.stderr)
    assert lines[0].startswith("cerniq: error: "), lines
    assert result.stdout == "", result.stdout
    return lines[0]


@pytest.fixture(scope="module")
def evaluated(admin_url: str):
    """A tenant evaluated as of GENERATED_AS_OF."""
    with generated(admin_url, tenants=1, clients_per_tenant=30) as (url, (tenant,)):
        assert [r.success for r in run_pipeline(url, [tenant], GENERATED_AS_OF)] == [True]
        yield url, tenant


@pytest.mark.parametrize("day", ["2100-01-01", "9999-12-31", "future"])
def test_a_date_after_today_is_refused_in_one_line(evaluated, day: str) -> None:
    url, tenant = evaluated
    day = (today() + dt.timedelta(days=1)).isoformat() if day == "future" else day
    for extra in ([], ["--replay"]):
        line = one_error_line(cerniq(url, "run", "--tenant", str(tenant), "--as-of", day, *extra))
        assert f"the as-of date {day} is after today" in line


@pytest.mark.parametrize("day", ["0001-01-01", WEEK_BEFORE.isoformat()])
def test_a_date_before_the_latest_evaluation_is_refused(evaluated, day: str) -> None:
    url, tenant = evaluated
    line = one_error_line(cerniq(url, "run", "--tenant", str(tenant), "--as-of", day))
    assert f"the as-of date {day} is before {GENERATED_AS_OF.isoformat()}" in line
    assert "--replay" in line


def test_the_dagster_run_itself_refuses_the_dates(evaluated) -> None:
    """A run launched from the UI or a schedule passes the same guard, in its steps."""
    url, tenant = evaluated
    instance = cerniq_instance(url)
    job = defs.resolve_job_def(nurturing_job.name)
    future = (today() + dt.timedelta(days=1)).isoformat()
    for day, expected in ((WEEK_BEFORE.isoformat(), "is before"), (future, "is after today")):
        result = job.execute_in_process(
            instance=instance, tags=run_tags(str(tenant), str(tenant), day), raise_on_error=False
        )
        assert not result.success
        failures = [e for e in result.all_events if e.is_step_failure]
        assert failures and all(
            expected in str(e.step_failure_data.error.to_string()) for e in failures
        )
        assert not [e for e in result.all_events if e.is_step_success]


def test_replay_says_what_it_rewrites_and_runs(evaluated) -> None:
    url, tenant = evaluated
    result = cerniq(url, "run", "--tenant", str(tenant), "--as-of", WEEK_BEFORE.isoformat(),
                    "--replay")  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert f"replay as of {WEEK_BEFORE.isoformat()}" in result.stderr
    assert f"evaluated up to {GENERATED_AS_OF.isoformat()}" in result.stderr
    assert "rewrites" in result.stderr and "churn signals" in result.stderr
    assert result.stdout.startswith("run ") and "succeeded" in result.stdout
    # after the replay, going forward again needs no flag
    again = cerniq(url, "run", "--tenant", str(tenant), "--as-of", GENERATED_AS_OF.isoformat())
    assert again.returncode == 0, again.stderr


def test_a_killed_run_is_marked_failed_by_the_next_run(admin_url: str) -> None:
    with generated(admin_url, tenants=1, clients_per_tenant=30) as (url, (tenant,)):
        instance = cerniq_instance(url)
        env = {**os.environ, "CERNIQ_DATABASE_URL": url}
        command = [sys.executable, "-m", "dagster_cerniq", "run", "--tenant", str(tenant),
                   "--as-of", GENERATED_AS_OF.isoformat()]  # fmt: skip
        proc = subprocess.Popen(command, env=env, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, start_new_session=True)  # fmt: skip
        killed = None
        deadline = time.monotonic() + 300
        while killed is None and time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.2)
            for record in instance.get_run_records():
                run_id = record.dagster_run.run_id
                if record.dagster_run.tags.get(PID_TAG) == str(proc.pid) and list(
                    (DBT_PROJECT_DIR / "target").glob(f"dbt_*-{run_id[:7]}-*")
                ):
                    killed = run_id
        assert killed, "the run never reached a dbt step"
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
        assert instance.get_run_by_id(killed).status == DagsterRunStatus.STARTED

        result = cerniq(url, "run", "--tenant", str(tenant), "--as-of",
                        GENERATED_AS_OF.isoformat())  # fmt: skip
        assert result.returncode == 0, result.stderr
        assert f"run {killed} was left STARTED" in result.stderr
        assert instance.get_run_by_id(killed).status == DagsterRunStatus.FAILURE
        assert list((DBT_PROJECT_DIR / "target").glob(f"*-{killed[:7]}-*")) == []


def test_a_failing_run_prints_one_line_naming_its_log(evaluated) -> None:
    url, tenant = evaluated
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("alter table gold_churn_factors rename to gold_churn_factors_away")
    try:
        result = cerniq(url, "run", "--tenant", str(tenant), "--as-of",
                        GENERATED_AS_OF.isoformat())  # fmt: skip
    finally:
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute("alter table gold_churn_factors_away rename to gold_churn_factors")
    line = one_error_line(result)
    assert "failed: step churn_factors: " in line and "gold_churn_factors" in line, line
    log = Path(line.rsplit("(log: ", 1)[1].rstrip(")"))
    text = log.read_text(encoding="utf-8")
    assert "STEP_FAILURE" in text or "Traceback" in text
    assert "dbt" in text  # dbt's progress went to the log, not the terminal


def test_the_dagster_home_is_private() -> None:
    home = prepare_dagster_home()
    cerniq_instance_env = home / "dagster.yaml"
    assert home.stat().st_mode & 0o777 == 0o700
    assert cerniq_instance_env.stat().st_mode & 0o777 == 0o600
    assert "run_monitoring" in cerniq_instance_env.read_text(encoding="utf-8")


def test_a_run_with_the_sentiment_api_unreachable_warns_and_exits_degraded(admin_url) -> None:
    """The run writes everything else, then says the sentiment step was degraded (exit 3)."""
    with generated(admin_url, tenants=1, clients_per_tenant=20) as (url, (tenant,)):
        result = cerniq(
            url, "run", "--tenant", str(tenant), "--as-of", GENERATED_AS_OF.isoformat(),
            ANTHROPIC_API_KEY="test-key",
            ANTHROPIC_BASE_URL=f"http://127.0.0.1:{closed_port()}",
            CERNIQ_SENTIMENT_BATCH_SIZE="5",
        )  # fmt: skip
        assert result.returncode == 3, (result.stdout, result.stderr)
        assert "succeeded: 1 tenant(s)" in result.stdout
        (warning,) = [line for line in result.stderr.splitlines() if "cerniq: warning" in line]
        assert "sentiment degraded: 5 consecutive requests got no answer" in warning
        with psycopg.connect(url) as conn:
            (pending,) = conn.execute(
                # Seen as of the date: sent before the end of its day (UTC), as the step reads.
                "select count(*) from gold_client_messages where tenant_id = %s and direction"
                " = 'INBOUND' and sent_at < (%s::date + 1)::timestamp at time zone 'UTC'",
                (tenant, GENERATED_AS_OF),
            ).fetchone()  # fmt: skip
            (analysed,) = conn.execute(
                "select count(*) from gold_sentiment_analysis where tenant_id = %s", (tenant,)
            ).fetchone()
            (states,) = conn.execute(
                "select count(*) from gold_nurturing_state where tenant_id = %s", (tenant,)
            ).fetchone()
        assert pending > 0 and analysed == 0 and states > 0
        assert f"{pending} message(s) left pending" in warning
