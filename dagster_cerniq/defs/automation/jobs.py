"""The jobs: the whole graph per tenant range, the HITL SLA clock alone, the dbt data tests."""

from dagster import (
    AssetCheckKey,
    AssetKey,
    AssetSelection,
    define_asset_job,
    in_process_executor,
)

# The check that the sentiment step reached its API belongs to every evaluation run.
SENTIMENT_API_CHECK = AssetSelection.checks(
    AssetCheckKey(AssetKey("sentiment_analysis"), "sentiment_api_reachable")
)

# The backtest replays past dates in a scratch database: its own job, never an evaluation's.
BACKTEST = AssetSelection.assets("churn_backtest")

# Every evaluation run carries this tag, whoever starts it (the daily schedule, the event sensor,
# the UI's launchpad): dagster.yaml's tag_concurrency_limits let one such run go at a time, so
# the daemon's runs queue rather than split the 2 cores. `cerniq run` executes in its own
# process, outside the queue: what keeps two runs off one tenant's rows at once is the tenant
# lock every write-back step takes (lib.write_back).
EVALUATION_TAG = "cerniq/evaluation"

# The dbt data tests (asset checks) read whole tables: they run in their own daily job, not in
# every evaluation run.
#
# In one process: the steps form a chain over one database, and the default executor's
# process per step re-imports the code location for each (seconds a step, most of a small
# event run's time). `cerniq run` executes in process as well.
nurturing_job = define_asset_job(
    "nurturing_evaluation",
    selection=(AssetSelection.all() - BACKTEST).without_checks() | SENTIMENT_API_CHECK,
    description="The whole graph for the selected tenants: dbt models, write-backs, follow-ups.",
    tags={EVALUATION_TAG: "tenants"},
    executor_def=in_process_executor,
)

hitl_sla_job = define_asset_job(
    "hitl_sla_clock",
    selection=AssetSelection.assets("hitl_tasks"),
    description="The HITL SLA clock alone: assignment, OK -> WARNING -> BREACHED, escalation.",
)

dbt_data_tests_job = define_asset_job(
    "dbt_data_tests",
    selection=AssetSelection.all_asset_checks() - SENTIMENT_API_CHECK,
    description=(
        "The dbt data tests (keys, uniqueness, accepted values) as asset checks, over whole "
        "tables: every tenant's rows and the shared source views."
    ),
)

# Named apart from its asset: a job and an op may not share a name.
churn_backtest_job = define_asset_job(
    "backtest",
    selection=BACKTEST,
    description=(
        "The backtest of one tenant partition (config: from_date, to_date, every_days, "
        "horizon_days, what_if): figures, table and picture in the asset's metadata."
    ),
)
