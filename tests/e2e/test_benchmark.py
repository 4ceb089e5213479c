"""The benchmark on a scale smaller than `small` (issue 7): the comparison is right, not the
timings.

The pipeline and the baseline (the row-by-row port of the seed's workers) run on identical copies
of generated data for a sequence of as-of dates, and must end in the same states, churn scores,
risk levels and signals.
"""

import json
import uuid

import pytest

from benchmarks import report
from benchmarks.run import Options, Scale, benchmark_scale

# Two as-of dates (a cold run, then one a week later that moves ONBOARDING states on, with
# signals, scores and escalations in both) keep the test within a few minutes: each pipeline run
# has about a minute of fixed cost. The command's default of four dates also takes states to
# AT_RISK, LOYAL_CLIENT, CHURNED and ADVOCATE.
RUNS = 2
# A fifth of `small` (10 x 1,000): enough clients for every kind of row the checks compare, and
# the row-by-row baseline's time falls with them.
TEST_SCALE = Scale("test", tenants=4, clients_per_tenant=500)


@pytest.fixture(scope="module")
def benchmarked(admin_url: str):
    options = Options(runs=RUNS, database_prefix=f"benchmark_test_{uuid.uuid4().hex[:8]}")
    return benchmark_scale(admin_url, TEST_SCALE, options)


def test_pipeline_and_baseline_end_in_the_same_states(benchmarked) -> None:
    different = {
        check.name: check.examples
        for check in benchmarked.checks
        if check.strict and not check.matches
    }
    assert not different


def test_the_runs_exercise_transitions_signals_and_escalations(benchmarked) -> None:
    rows = {check.name: check.rows for check in benchmarked.checks}
    assert rows["states"] > 0
    assert rows["transitions"] > 0
    assert rows["churn signals"] > 0
    assert rows["churn HITL tasks"] > 0
    assert rows["POST_ORDER surveys scheduled"] > 0


def test_every_contender_is_measured(benchmarked) -> None:
    kinds = {(record.contender, record.kind) for record in benchmarked.records}
    assert {("pipeline", "cold"), ("pipeline", "incremental"), ("baseline", "cold"),
            ("baseline", "incremental"), ("floor", "pass")} <= kinds  # fmt: skip
    pipeline = benchmarked.record("pipeline", "incremental")
    assert pipeline.dbt_invocations.get("build") == 2
    assert all(record.seconds > 0 and record.input_rows > 0 for record in benchmarked.records)


def test_the_pipeline_profile_times_its_steps_and_dbt_models(benchmarked) -> None:
    profile = benchmarked.record("pipeline", "incremental").profile
    steps = {"dbt_source_facts", "dbt_state_decisions", "nurturing_state", "state_transitions"}
    assert steps <= set(profile["steps"])
    assert profile["dbt"]["dbt_source_facts models"] > 0
    assert profile["dbt"]["dbt_state_decisions models"] > 0
    assert profile["dbt_nodes"]["dbt_state_decisions model.cerniq.fct_churn_scores"] > 0


def test_the_report_prints_and_serialises(benchmarked) -> None:
    text = report.scale_report(benchmarked)
    assert "Targets:" in text and "baseline" in text and "floor" in text
    json.dumps(report.scale_json(benchmarked), default=str)
