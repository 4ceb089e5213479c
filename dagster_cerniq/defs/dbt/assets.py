"""The dbt models as Dagster assets, partitioned by tenant, in two steps around the write-backs
(dbt_project/selectors.yml):

- `dbt_source_facts` (selector `source_facts`): everything computed from the source tables —
  order metrics, NPS, signal candidates, onboarding and referral facts — which the write-back
  steps read;
- `dbt_state_decisions` (selector `state_decisions`, models tagged `reads_write_back`): what
  follows from the rows those steps stored — churn scores, state eligibility, NPS dispatch,
  referral requests due.

A run over any number of tenants is one dbt invocation per step, never one per tenant.
"""

import json
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager

from dagster import AssetExecutionContext, AssetKey, BackfillPolicy
from dagster_dbt import DbtCliResource, dbt_assets, get_asset_key_for_model

from dagster_cerniq.defs.automation.partitions import tenant_partitions
from dagster_cerniq.defs.dbt.project import (
    DBT_VARS_TAG,
    cerniq_dbt_project,
    dbt_child_env,
    dbt_vars,
)
from dagster_cerniq.defs.dbt.translator import CerniqDbtTranslator
from dagster_cerniq.lib.resources import CerniqDatabase
from dagster_cerniq.lib.write_back import (
    application_name,
    duration_setting,
    run_scope,
    set_timeouts,
    timeouts_named,
)

# Shared views and parameter seeds are rebuilt by every dbt step: one step at a time per
# database, so two runs never replace the same view at once.
DBT_ADVISORY_LOCK_KEY = 2026011906


# How long a dbt step waits for another run's dbt step (a whole build) before it fails.
DBT_LOCK_TIMEOUT_ENV = "CERNIQ_DBT_LOCK_TIMEOUT"
DEFAULT_DBT_LOCK_TIMEOUT = "15min"


@contextmanager
def dbt_child_environment(database_url: str) -> Iterator[dict[str, str]]:
    """dagster-dbt's `cli()` hands its dbt child a copy of os.environ (0.29 takes no `env`):
    for that call only, os.environ is what the child needs (`dbt_child_env`: PATH, HOME,
    locale, DBT_*, the profile's variables; no API key, no database URL), then it is put back.
    The child is started inside `cli()`; the step's other work runs with the full environment.
    """
    saved = dict(os.environ)
    child = dbt_child_env(saved, database_url)
    os.environ.clear()
    os.environ.update(child)
    try:
        yield child
    finally:
        os.environ.clear()
        os.environ.update(saved)


def _build(context: AssetExecutionContext, dbt: DbtCliResource, database: CerniqDatabase):
    scope = run_scope(context)
    # A run over every tenant partition selects no tenant in dbt and rebuilds the per-tenant
    # tables whole (--full-refresh: one CREATE TABLE AS each, indexes built after) instead of
    # filtering by a list of every tenant and rewriting each table's rows through a temp table.
    every_tenant = set(context.instance.get_dynamic_partitions(tenant_partitions.name))
    covers_all = not scope.tenant_ids or every_tenant <= set(scope.tenant_ids)
    selected = [] if covers_all else scope.tenant_ids
    variables = dbt_vars(selected, scope.as_of, scope.logical_time)
    # A backtest's what-if (a replay in a scratch database) runs with its changed parameters.
    variables.update(json.loads(context.run.tags.get(DBT_VARS_TAG, "{}")))
    context.log.info(
        f"dbt build for {len(selected) or 'every'} tenant(s) as of {variables['as_of']}"
    )
    url = database.conninfo()
    step = context.op_execution_context.op.name
    wait = duration_setting(DBT_LOCK_TIMEOUT_ENV, DEFAULT_DBT_LOCK_TIMEOUT)
    name = application_name(f"dbt-lock {step}", context.run.run_id)
    with database.transaction(application_name=name) as lock_conn:
        # The lock wait is bounded (a timeout names the session holding it); the build is
        # bounded by the statement and lock timeouts dbt's own sessions get (dbt_env).
        with timeouts_named(lock_conn, url, f"dbt step {step}", lock=wait):
            set_timeouts(lock_conn, lock=wait, statement=wait)
            lock_conn.execute("select pg_advisory_xact_lock(%s)", (DBT_ADVISORY_LOCK_KEY,))
        args = ["build", "--exclude-resource-type", "unit_test", "--vars", json.dumps(variables)]
        if not selected:
            args.append("--full-refresh")
        with dbt_child_environment(url):
            invocation = dbt.cli(args, context=context)
        yield from invocation.stream()
    # dagster-dbt gives every invocation its own target folder (manifest, logs: 5 MB) and never
    # removes it, two per run. A failed build raises above and keeps its folder to inspect.
    shutil.rmtree(invocation.target_path, ignore_errors=True)


def _dbt_step(selector: str, name: str):
    return dbt_assets(
        manifest=cerniq_dbt_project().manifest_path,
        project=cerniq_dbt_project(),
        selector=selector,
        partitions_def=tenant_partitions,
        backfill_policy=BackfillPolicy.single_run(),
        dagster_dbt_translator=CerniqDbtTranslator(),
        name=name,
    )


@_dbt_step(selector="source_facts", name="dbt_source_facts")
def dbt_source_facts(context: AssetExecutionContext, dbt: DbtCliResource, database: CerniqDatabase):
    yield from _build(context, dbt, database)


@_dbt_step(selector="state_decisions", name="dbt_state_decisions")
def dbt_state_decisions(
    context: AssetExecutionContext, dbt: DbtCliResource, database: CerniqDatabase
):
    yield from _build(context, dbt, database)


def dbt_asset_key(name: str) -> AssetKey:
    """The asset key of a dbt model or seed, whichever step builds it (both steps carry the
    whole manifest and the same translator)."""
    return get_asset_key_for_model([dbt_source_facts], name)
