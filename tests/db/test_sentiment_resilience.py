"""The sentiment step keeps paid work and shows an outage (issue 15, item 7), on a live database:
with the Claude API unreachable the step stops calling within seconds, leaves the messages
pending (no failure recorded) and reports itself degraded (metadata and the failed asset check
`sentiment_api_reachable`); analyses are written batch by batch, so a crash midway keeps the
batches already done and the next run analyses only the rest."""

import datetime as dt
import time
from collections.abc import Sequence

import psycopg
import pytest
from dagster import (
    AssetCheckKey,
    AssetCheckSeverity,
    AssetKey,
    AssetSelection,
    Definitions,
    define_asset_job,
    instance_for_test,
    materialize,
)

from dagster_cerniq.defs.automation.partitions import tenant_partitions
from dagster_cerniq.defs.sentiment import analyze as sentiment_module
from dagster_cerniq.defs.sentiment.claude import AnalysisOutcome
from dagster_cerniq.lib.resources import CerniqDatabase
from dagster_cerniq.lib.run_dates import AS_OF_TAG
from tests.conftest import GENERATED_AS_OF, closed_port, generated

STEP = [sentiment_module.sentiment_analysis, sentiment_module.sentiment_api_reachable]


def stored(url: str, tenant_id) -> dict[str, int]:
    """Pending (as the step selects them), analysed and failed messages of the tenant."""
    with psycopg.connect(url) as conn:
        pending = conn.execute(
            sentiment_module.PENDING_MESSAGES.compose(),
            {"tenants": [str(tenant_id)], "logical_time": dt.datetime(2026, 10, 16, tzinfo=dt.UTC)},
        ).fetchall()
        return {
            "pending_inbound": len(pending),
            **{
                name: conn.execute(query, (str(tenant_id),)).fetchone()[0]
                for name, query in {
                    "analyses": "select count(*) from gold_sentiment_analysis where tenant_id = %s",
                    "failures": "select count(*) from cerniq_sentiment_failures "
                    "where tenant_id = %s",
                }.items()
            },
        }


@pytest.fixture
def tenant(admin_url):
    with (
        generated(admin_url, tenants=1, clients_per_tenant=40) as (url, (tenant_x,)),
        instance_for_test() as instance,
    ):
        instance.add_dynamic_partitions(tenant_partitions.name, [str(tenant_x)])
        yield url, tenant_x, instance


def run_step(url, tenant_x, instance, raise_on_error=True):
    return materialize(
        STEP,
        instance=instance,
        partition_key=str(tenant_x),
        resources={"database": CerniqDatabase(url=url)},
        tags={AS_OF_TAG: GENERATED_AS_OF.isoformat()},
        raise_on_error=raise_on_error,
    )


def test_an_unreachable_api_fails_fast_leaves_work_pending_and_is_reported(
    tenant, monkeypatch: pytest.MonkeyPatch
) -> None:
    url, tenant_x, instance = tenant
    before = stored(url, tenant_x)
    assert before["pending_inbound"] > 20 and before["analyses"] == 0
    monkeypatch.setenv("ANTHROPIC_API_KEY", "test-key")
    monkeypatch.setenv("ANTHROPIC_BASE_URL", f"http://127.0.0.1:{closed_port()}")
    monkeypatch.setenv(sentiment_module.BATCH_SIZE_ENV, "10")

    began = time.monotonic()
    result = run_step(url, tenant_x, instance)
    elapsed = time.monotonic() - began
    assert elapsed < 30, f"the step took {elapsed:.0f}s"
    (materialization,) = result.asset_materializations_for_node("sentiment_analysis")
    metadata = {key: value.value for key, value in materialization.metadata.items()}
    assert metadata["degraded"] is True
    assert "consecutive requests got no answer" in metadata["api_unreachable"]
    assert metadata["messages_left_pending"] == before["pending_inbound"]
    assert metadata["messages_analysed"] == metadata["messages_failed_this_run"] == 0
    assert stored(url, tenant_x) == before, "nothing written, no failure counted"
    (check,) = result.get_asset_check_evaluations()
    assert check.check_name == "sentiment_api_reachable"
    assert check.passed is False and check.severity == AssetCheckSeverity.ERROR
    assert check.metadata["degraded"].value is True

    # The API back (here: the offline analyzer), the next run analyses what stayed pending.
    monkeypatch.delenv("ANTHROPIC_API_KEY")
    result = run_step(url, tenant_x, instance)
    (materialization,) = result.asset_materializations_for_node("sentiment_analysis")
    assert materialization.metadata["degraded"].value is False
    assert materialization.metadata["messages_analysed"].value == before["pending_inbound"]
    (check,) = result.get_asset_check_evaluations()
    assert check.passed is True
    assert stored(url, tenant_x)["pending_inbound"] == 0


def test_a_crash_midway_keeps_the_batches_already_written(
    tenant, monkeypatch: pytest.MonkeyPatch
) -> None:
    url, tenant_x, instance = tenant
    total = stored(url, tenant_x)["pending_inbound"]
    assert total > 20
    monkeypatch.setenv(sentiment_module.BATCH_SIZE_ENV, "5")
    real = sentiment_module.offline_analyze_many
    calls = []

    def crashes_on_the_third_batch(
        items: Sequence[tuple[str, str]], competitors
    ) -> list[AnalysisOutcome]:
        calls.append(len(items))
        if len(calls) == 3:
            raise RuntimeError("the analyzer crashed")
        return real(items, competitors)

    monkeypatch.setattr(sentiment_module, "offline_analyze_many", crashes_on_the_third_batch)
    result = run_step(url, tenant_x, instance, raise_on_error=False)
    assert not result.success
    kept = stored(url, tenant_x)
    assert kept["analyses"] == calls[0] + calls[1] >= 10, "the first two batches are kept"
    assert kept["pending_inbound"] == total - kept["analyses"]

    monkeypatch.setattr(sentiment_module, "offline_analyze_many", real)
    result = run_step(url, tenant_x, instance)
    (materialization,) = result.asset_materializations_for_node("sentiment_analysis")
    assert materialization.metadata["messages_analysed"].value == total - kept["analyses"]
    assert stored(url, tenant_x) == {"pending_inbound": 0, "analyses": total, "failures": 0}


def test_the_check_runs_in_a_range_run_of_a_job_that_selects_it(tenant) -> None:
    """As the evaluation job would run it: every asset without the dbt checks, plus this one."""
    url, tenant_x, instance = tenant
    check_key = AssetCheckKey(AssetKey("sentiment_analysis"), "sentiment_api_reachable")
    job = define_asset_job(
        "evaluation_like",
        selection=AssetSelection.all().without_checks() | AssetSelection.checks(check_key),
    )
    defs = Definitions(
        assets=[sentiment_module.sentiment_analysis],
        asset_checks=[sentiment_module.sentiment_api_reachable],
        jobs=[job],
        resources={"database": CerniqDatabase(url=url)},
    )
    result = defs.resolve_job_def("evaluation_like").execute_in_process(
        instance=instance,
        tags={
            AS_OF_TAG: GENERATED_AS_OF.isoformat(),
            "dagster/asset_partition_range_start": str(tenant_x),
            "dagster/asset_partition_range_end": str(tenant_x),
        },
    )
    assert result.success
    (check,) = result.get_asset_check_evaluations()
    assert check.asset_check_key == check_key and check.passed
