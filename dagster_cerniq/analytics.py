"""The dbt models as Dagster assets, partitioned by tenant, in two steps around the write-backs.

`dbt_detection` builds everything the write-back steps read (order metrics, NPS, signal
candidates); `dbt_evaluation` (models tagged `evaluate`) reads what they wrote (stored signals
and states) and scores and evaluates. A run over any number of tenants is one dbt invocation
per step, never one per tenant.
"""

import json
import os
import shutil
from collections.abc import Iterator, Mapping
from contextlib import contextmanager

from dagster import (
    AssetExecutionContext,
    AssetSelection,
    BackfillPolicy,
    DefaultScheduleStatus,
    ScheduleEvaluationContext,
    define_asset_job,
    schedule,
)
from dagster_dbt import (
    DagsterDbtTranslator,
    DagsterDbtTranslatorSettings,
    DbtCliResource,
    dbt_assets,
)

from dagster_cerniq.dbt_project import cerniq_dbt_project, dbt_env, dbt_vars
from dagster_cerniq.resources import CerniqDatabase
from dagster_cerniq.run_dates import BUSINESS_TIMEZONE
from dagster_cerniq.tenants import scheduled_run, tenant_partitions
from dagster_cerniq.write_back import run_scope

EVALUATION_SELECTION = "tag:evaluate"
# Shared views and parameter seeds are rebuilt by every dbt step: one step at a time per
# database, so two runs never replace the same view at once.
DBT_ADVISORY_LOCK_KEY = 2026011906

translator = DagsterDbtTranslator(settings=DagsterDbtTranslatorSettings(enable_asset_checks=True))


@contextmanager
def _profile_environment(values: Mapping[str, str]) -> Iterator[None]:
    """dagster-dbt hands dbt a copy of os.environ: set the profile's variables around the call."""
    saved = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def _build(context: AssetExecutionContext, dbt: DbtCliResource, database: CerniqDatabase):
    scope = run_scope(context)
    # A run over every tenant partition selects no tenant in dbt and rebuilds the per-tenant
    # tables whole (--full-refresh: one CREATE TABLE AS each, indexes built after) instead of
    # filtering by a list of every tenant and rewriting each table's rows through a temp table.
    every_tenant = set(context.instance.get_dynamic_partitions(tenant_partitions.name))
    covers_all = not scope.tenant_ids or every_tenant <= set(scope.tenant_ids)
    selected = [] if covers_all else scope.tenant_ids
    variables = dbt_vars(selected, scope.as_of, scope.logical_time)
    context.log.info(
        f"dbt build for {len(selected) or 'every'} tenant(s) as of {variables['as_of']}"
    )
    url = database.conninfo()
    with database.transaction() as lock_conn, _profile_environment(dbt_env(url)):
        lock_conn.execute("select pg_advisory_xact_lock(%s)", (DBT_ADVISORY_LOCK_KEY,))
        args = ["build", "--exclude-resource-type", "unit_test", "--vars", json.dumps(variables)]
        if not selected:
            args.append("--full-refresh")
        invocation = dbt.cli(args, context=context)
        yield from invocation.stream()
    # dagster-dbt gives every invocation its own target folder (manifest, logs: 5 MB) and never
    # removes it, two per run. A failed build raises above and keeps its folder to inspect.
    shutil.rmtree(invocation.target_path, ignore_errors=True)


@dbt_assets(
    manifest=cerniq_dbt_project().manifest_path,
    project=cerniq_dbt_project(),
    exclude=EVALUATION_SELECTION,
    partitions_def=tenant_partitions,
    backfill_policy=BackfillPolicy.single_run(),
    dagster_dbt_translator=translator,
    name="dbt_detection",
)
def dbt_detection(context: AssetExecutionContext, dbt: DbtCliResource, database: CerniqDatabase):
    yield from _build(context, dbt, database)


@dbt_assets(
    manifest=cerniq_dbt_project().manifest_path,
    project=cerniq_dbt_project(),
    select=EVALUATION_SELECTION,
    partitions_def=tenant_partitions,
    backfill_policy=BackfillPolicy.single_run(),
    dagster_dbt_translator=translator,
    name="dbt_evaluation",
)
def dbt_evaluation(context: AssetExecutionContext, dbt: DbtCliResource, database: CerniqDatabase):
    yield from _build(context, dbt, database)


dbt_data_tests_job = define_asset_job(
    "dbt_data_tests",
    selection=AssetSelection.all_asset_checks(),
    description=(
        "The dbt data tests (keys, uniqueness, accepted values) as asset checks, over whole "
        "tables: every tenant's rows and the shared source views."
    ),
)


@schedule(
    name="dbt_data_tests_daily",
    job=dbt_data_tests_job,
    cron_schedule="0 4 * * *",
    execution_timezone=str(BUSINESS_TIMEZONE),
    default_status=DefaultScheduleStatus.RUNNING,
    description="The dbt data tests over every tenant, daily at 04:00, after the evaluation.",
)
def dbt_data_tests_daily(context: ScheduleEvaluationContext):
    return scheduled_run(context, "dbt-data-tests", {})
