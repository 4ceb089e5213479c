"""The Dagster code location end to end on a live database with generated data."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from uuid import UUID

import psycopg
import pytest
from dagster import (
    DagsterEventType,
    build_schedule_context,
)

from dagster_cerniq.definitions import defs
from dagster_cerniq.defs.automation.jobs import dbt_data_tests_job
from dagster_cerniq.defs.automation.partitions import (
    partition_ranges,
)
from dagster_cerniq.defs.automation.schedules import dbt_data_tests_daily
from dagster_cerniq.defs.dbt.project import DBT_PROJECT_DIR
from dagster_cerniq.lib.run_dates import AS_OF_TAG
from dagster_cerniq.ops.instance import cerniq_instance
from dagster_cerniq.ops.pipeline import run_pipeline
from tests.conftest import database_env, generated
from tests.fingerprints import fingerprint

FIRST_DAY = dt.date(2026, 10, 1)
SECOND_DAY = dt.date(2026, 10, 15)


def run_ok(url: str, tenant: UUID, as_of: dt.date) -> None:
    runs = run_pipeline(url, [tenant], as_of)
    assert [r.success for r in runs] == [True]


@pytest.fixture(scope="module")
def replayed(admin_url: str):
    """Tenant Y once, then tenant X on two as-of dates (states created, then evaluated)."""
    with generated(admin_url) as (url, (tenant_x, tenant_y)):
        run_ok(url, tenant_y, FIRST_DAY)
        y_after_own_run = fingerprint(url, tenant_y)
        run_ok(url, tenant_x, FIRST_DAY)
        run_ok(url, tenant_x, SECOND_DAY)
        yield url, tenant_x, tenant_y, y_after_own_run, fingerprint(url, tenant_x)


def test_every_write_back_table_is_filled_as_the_spec_says(replayed) -> None:
    url, tenant_x, _, _, _ = replayed
    with psycopg.connect(url) as conn:

        def scalar(query: str) -> int:
            return conn.execute(query, {"t": tenant_x}).fetchone()[0]

        buyers = scalar(
            "select count(distinct client_id) from gold_orders where tenant_id = %(t)s "
            "and status = 'DELIVERED' and delivered_at < '2026-10-16'"
        )
        assert scalar("select count(*) from gold_nurturing_state where tenant_id = %(t)s") == buyers
        assert scalar("select count(*) from gold_churn_factors where tenant_id = %(t)s") == buyers
        moved = scalar(
            "select count(*) from gold_nurturing_state where tenant_id = %(t)s "
            "and current_state <> 'ONBOARDING'"
        )
        audits = scalar(
            "select count(*) from gold_nurturing_actions where tenant_id = %(t)s "
            "and action_type = 'STATE_TRANSITION'"
        )
        assert moved > 0 and audits >= moved
        assert (
            scalar(
                "select count(*) from gold_nurturing_state s where tenant_id = %(t)s "
                "and current_state <> 'ONBOARDING' and not exists ("
                "select 1 from gold_nurturing_actions a where a.nurturing_state_id = s.id "
                "and a.action_type = 'STATE_TRANSITION' "
                "and a.trigger_event = s.previous_state || ' -> ' || s.current_state)"
            )
            == 0
        )
        assert (
            scalar(
                "select count(*) from gold_churn_signals "
                "where tenant_id = %(t)s and not is_resolved"
            )
            > 0
        )
        # one POST_ORDER survey per order, each with its action row
        assert (
            scalar(
                "select count(*) from gold_nps_surveys where tenant_id = %(t)s "
                "and nurturing_action_id is not null"
            )
            > 0
        )
        assert (
            scalar(
                "select count(*) - count(distinct order_id) from gold_nps_surveys "
                "where tenant_id = %(t)s and order_id is not null"
            )
            == 0
        )
        # every client at risk has exactly one open churn task
        assert (
            scalar(
                "select count(*) from gold_nurturing_state s where tenant_id = %(t)s "
                "and current_state = 'AT_RISK' and (select count(*) from gold_hitl_tasks_e5 h "
                "where h.client_id = s.client_id and h.task_type like 'CHURN_%%' "
                "and h.status in ('PENDING', 'ASSIGNED', 'IN_PROGRESS')) <> 1"
            )
            == 0
        )
        # the state mirrors the churn factors
        assert (
            scalar(
                "select count(*) from gold_nurturing_state s join gold_churn_factors f "
                "using (tenant_id, client_id) where s.tenant_id = %(t)s "
                "and (s.churn_risk_score, s.churn_risk_level) "
                "is distinct from (f.overall_churn_score, f.risk_level)"
            )
            == 0
        )
        assert (
            scalar(
                "select count(*) from gold_nurturing_state s where tenant_id = %(t)s "
                "and current_state = 'CHURNED' and not exists ("
                "select 1 from gold_winback_campaigns w where w.client_id = s.client_id)"
            )
            == 0
        )


def test_a_second_identical_run_changes_no_row(replayed) -> None:
    url, tenant_x, _, _, after_second_day = replayed
    with psycopg.connect(url) as conn:
        before = conn.execute(
            "select md5(string_agg(t::text, '|' order by id)) from gold_nurturing_state t "
            "where tenant_id = %s",
            (tenant_x,),
        ).fetchone()
    run_ok(url, tenant_x, SECOND_DAY)
    assert fingerprint(url, tenant_x) == after_second_day
    with psycopg.connect(url) as conn:
        after = conn.execute(
            "select md5(string_agg(t::text, '|' order by id)) from gold_nurturing_state t "
            "where tenant_id = %s",
            (tenant_x,),
        ).fetchone()
    assert after == before, "a rerun must not touch a state row, not even updated_at"


def test_runs_of_tenant_x_leave_tenant_y_untouched(replayed) -> None:
    url, _, tenant_y, y_after_own_run, _ = replayed
    assert fingerprint(url, tenant_y) == y_after_own_run
    assert y_after_own_run["gold_nurturing_state"][0] > 0


def test_two_runs_at_once_leave_what_one_run_leaves(admin_url, replayed) -> None:
    _, tenant_x, _, _, after_one_run = replayed
    with generated(admin_url) as (url, _):
        run_ok(url, tenant_x, FIRST_DAY)
        env = {**os.environ, "CERNIQ_DATABASE_URL": url}
        command = [sys.executable, "-m", "dagster_cerniq", "run", "--tenant", str(tenant_x),
                   "--as-of", SECOND_DAY.isoformat()]  # fmt: skip
        procs = [
            subprocess.Popen(
                command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
            )
            for _ in range(2)
        ]
        outputs = [proc.communicate(timeout=600) for proc in procs]
        assert [proc.returncode for proc in procs] == [0, 0], outputs
        # the same data and as-of dates give the same result, in another database too
        assert fingerprint(url, tenant_x) == after_one_run


def test_partition_ranges_cover_exactly_the_wanted_tenants() -> None:
    keys = ["a", "b", "c", "d", "e"]
    assert partition_ranges(keys, {"a", "b", "c", "d", "e"}) == [("a", "e")]
    assert partition_ranges(keys, {"b"}) == [("b", "b")]
    assert partition_ranges(keys, {"a", "b", "d"}) == [("a", "b"), ("d", "d")]
    assert partition_ranges(keys, set()) == []


def test_the_code_location_validates() -> None:
    # Without the instance other tests point this process at: validate uses a temporary one.
    env = {
        name: value
        for name, value in os.environ.items()
        if name != "DAGSTER_HOME" and not name.startswith("CERNIQ_DAGSTER_")
    }
    result = subprocess.run(
        [os.path.join(os.path.dirname(sys.executable), "dagster"), "definitions", "validate",
         "-m", "dagster_cerniq.definitions"],
        capture_output=True, text=True, check=False, timeout=300, env=env,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]


def test_data_tests_run_in_their_own_job(replayed) -> None:
    """Evaluation runs build models without the dbt data tests; the dbt_data_tests job (as its
    daily schedule starts it) runs every test as an asset check, and they pass."""
    url, tenant_x, _, _, _ = replayed
    instance = cerniq_instance(url)
    evaluations = instance.get_records_for_run(
        run_id=run_pipeline(url, [tenant_x], SECOND_DAY)[0].run_id,
        of_type=DagsterEventType.ASSET_CHECK_EVALUATION,
    ).records
    # The one check of an evaluation run: whether sentiment reached its API.
    evaluated = {
        r.event_log_entry.dagster_event.event_specific_data.check_name for r in evaluations
    }
    assert evaluated == {"sentiment_api_reachable"}

    request = dbt_data_tests_daily(
        build_schedule_context(
            instance=instance,
            scheduled_execution_time=dt.datetime(2026, 10, 16, 2, tzinfo=dt.UTC),
        )
    )
    assert request.tags == {AS_OF_TAG: "2026-10-16"}
    job = defs.resolve_job_def(dbt_data_tests_job.name)
    with database_env(url):
        result = job.execute_in_process(instance=instance, tags=request.tags, raise_on_error=False)
    checks = result.get_asset_check_evaluations()
    expected = {spec.key for asset in defs.assets for spec in getattr(asset, "check_specs", [])}
    assert result.success
    assert {check.asset_check_key for check in checks} == expected and len(expected) > 100
    assert [check.asset_check_key for check in checks if not check.passed] == []


@pytest.fixture(scope="module")
def all_tenant_run(admin_url: str):
    """One run over both tenants of a fresh database: its URL, run id, tenants and events."""
    with generated(admin_url) as (url, tenants):
        [run] = run_pipeline(url, None, FIRST_DAY)
        assert run.success
        instance = cerniq_instance(url)

        def events(of_type: DagsterEventType) -> list:
            records = instance.get_records_for_run(run_id=run.run_id, of_type=of_type, limit=None)
            return [r.event_log_entry.dagster_event.event_specific_data for r in records.records]

        yield url, run.run_id, {str(tenant) for tenant in tenants}, events


def test_a_run_over_many_tenants_plans_each_asset_once(all_tenant_run) -> None:
    """The plan of an all-tenant run is one event per asset holding the tenant range (not one
    per asset and tenant, which took a minute at 1,000 tenants); materializations stay per
    tenant, so every tenant's lineage and metadata are still recorded."""
    _, _, every_tenant, events = all_tenant_run
    planned = events(DagsterEventType.ASSET_MATERIALIZATION_PLANNED)
    materialized = {
        (data.materialization.asset_key, data.materialization.partition)
        for data in events(DagsterEventType.ASSET_MATERIALIZATION)
    }
    planned_assets = [data.asset_key for data in planned]
    assert len(planned_assets) == len(set(planned_assets)) > 10
    assert all(set(data.partitions_subset.get_partition_keys()) == every_tenant for data in planned)
    assert materialized == {(key, tenant) for key in planned_assets for tenant in every_tenant}


def test_a_successful_run_leaves_no_dbt_target_folder(all_tenant_run) -> None:
    """dagster-dbt writes each invocation's manifest and logs to a folder of its own, named
    after the step and the run; the build removes it once it succeeded."""
    _, run_id, _, _ = all_tenant_run
    left = [path.name for path in (DBT_PROJECT_DIR / "target").glob(f"dbt_*-{run_id[:7]}-*")]
    assert left == []


def test_the_tables_a_step_fills_are_analysed_by_it(all_tenant_run) -> None:
    """Each write-back step analyses the tables it changed beyond autovacuum's threshold before
    it commits (ANALYZE counts as manual, autovacuum's as auto): later steps and runs plan
    against the rows it wrote, not against an empty-looking table."""
    url = all_tenant_run[0]
    filled = ["gold_nurturing_state", "gold_churn_signals", "gold_churn_factors"]
    with psycopg.connect(url) as conn:
        stats = conn.execute(
            "select c.relname, s.analyze_count, c.reltuples::bigint from pg_class c "
            "join pg_stat_user_tables s on s.relid = c.oid where c.relname = any(%s)",
            (filled,),
        ).fetchall()
        rows = {t: conn.execute(f"select count(*) from {t}").fetchone()[0] for t in filled}
    assert all(count > 100 for count in rows.values()), rows
    assert {table: (analysed > 0, tuples) for table, analysed, tuples in stats} == {
        table: (True, count) for table, count in rows.items()
    }
