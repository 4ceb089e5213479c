"""The asset graph without a database: a snapshot of its keys, deps, groups, tags, checks, jobs,
schedules and sensors (update on purpose with `pytest --snapshot-update`), and the check that
every write-back statement reads only the dbt relations its asset declares, so the lineage
graph cannot lie."""

from __future__ import annotations

import importlib
import json
import pkgutil
import re
from pathlib import Path
from types import ModuleType

import pytest
from dagster import AssetChecksDefinition, AssetsDefinition

import dagster_cerniq.defs
from dagster_cerniq.defs.dbt.project import cerniq_dbt_project, ensure_manifest
from dagster_cerniq.defs.write_back_asset import write_back_deps
from dagster_cerniq.lib.write_back import Reads, Statement, UndeclaredRead, statements

DOMAINS = {
    "churn", "lifecycle", "feedback", "referrals", "hitl", "sentiment", "quality", "geography",
}  # fmt: skip


@pytest.fixture(scope="module")
def defs():
    ensure_manifest()  # dbt parse: reads files only, no database
    from dagster_cerniq.definitions import defs

    return defs


@pytest.fixture(scope="module")
def defs_modules(defs) -> list[ModuleType]:
    return [
        importlib.import_module(info.name)
        for info in pkgutil.walk_packages(dagster_cerniq.defs.__path__, "dagster_cerniq.defs.")
    ]


def graph_snapshot(defs) -> dict[str, object]:
    graph = defs.resolve_asset_graph()
    assets = {}
    for key in sorted(graph.get_all_asset_keys(), key=lambda k: k.to_user_string()):
        node = graph.get(key)
        assets[key.to_user_string()] = {
            "group": node.group_name,
            "deps": sorted(parent.to_user_string() for parent in node.parent_keys),
            "worker": dict(node.tags).get("cerniq/worker"),
            "kinds": sorted(node.kinds),
            "partitioned": node.partitions_def is not None,
            "checks": sorted(check.name for check in node.check_keys),
        }
    jobs = {
        job.name: sorted(k.to_user_string() for k in job.asset_layer.selected_asset_keys)
        for job in defs.resolve_all_job_defs()
        if job.name != "__ASSET_JOB"
    }
    schedules = {
        s.name: {"job": s.job_name, "cron": s.cron_schedule, "timezone": s.execution_timezone}
        for s in defs.schedules
    }
    sensors = {s.name: sorted(target.job_name for target in s.targets) for s in defs.sensors}
    return {"assets": assets, "jobs": jobs, "schedules": schedules, "sensors": sensors}


def test_asset_graph_matches_the_snapshot(defs, snapshot) -> None:
    assert graph_snapshot(defs) == snapshot


def test_the_graph_reads_by_domain(defs) -> None:
    groups = {node.group_name for node in defs.resolve_asset_graph().asset_nodes}
    assert DOMAINS | {"staging", "parameters"} <= groups
    write_backs = [
        node
        for node in defs.resolve_asset_graph().asset_nodes
        if node.is_materializable and "dbt" not in node.kinds
    ]
    assert {node.group_name for node in write_backs} <= DOMAINS
    # Every write-back names the seed worker it realises.
    assert all(dict(node.tags).get("cerniq/worker") for node in write_backs)


def test_every_write_back_asset_depends_on_what_its_reads_declare(defs, defs_modules) -> None:
    graph = defs.resolve_asset_graph()
    checked = set()
    for module in defs_modules:
        for value in vars(module).values():
            if (
                isinstance(value, AssetsDefinition)
                and not isinstance(value, AssetChecksDefinition)
                and _defined_in(value, module)
            ):
                parents = set(graph.get(value.key).parent_keys)
                assert set(write_back_deps(module.READS)) == parents, value.key
                checked.add(value.key.to_user_string())
    write_backs = {
        "sentiment_analysis", "nurturing_state", "churn_signals", "churn_factors",
        "state_transitions", "nps_surveys", "referral_requests", "hitl_tasks",
        "rejected_source_rows", "churn_prediction", "geography",
    }  # fmt: skip
    assert checked == write_backs


def _defined_in(assets: AssetsDefinition, module: ModuleType) -> bool:
    """A write-back asset of this module (not the dbt steps, not an import)."""
    function = assets.op.compute_fn.decorated_fn
    return function.__module__ == module.__name__ and hasattr(module, "READS")


def test_every_sql_file_is_a_loaded_statement(defs_modules) -> None:
    loaded = {
        value.path
        for module in defs_modules
        for value in vars(module).values()
        if isinstance(value, Statement)
    }
    assert set(_sql_files()) == loaded


def _sql_files() -> list[Path]:
    return sorted(Path(dagster_cerniq.defs.__path__[0]).glob("*/sql/*.sql"))


def test_no_statement_names_a_dbt_relation_outside_a_placeholder() -> None:
    manifest = cerniq_dbt_project().manifest_path.read_text(encoding="utf-8")
    nodes = json.loads(manifest)["nodes"].values()
    relations = {n["name"] for n in nodes if n["resource_type"] in ("model", "seed")}
    for path in _sql_files():
        text = re.sub(r"--.*", "", path.read_text(encoding="utf-8"))
        bare = set(re.findall(r"(?<![{\w])(\w+)(?![\w}])", text)) & relations
        assert not bare, f"{path.name} names {sorted(bare)} without a {{placeholder}}"


def test_an_undeclared_read_fails_at_import() -> None:
    """state_transitions as it stood before this layout declared fct_state_eligibility,
    fct_kol_scores and churn_factors, but its SQL also read fct_client_order_metrics (closing
    win-backs), winback_campaign_steps (starting them) and fct_churn_scores (the intervention
    task): each of those statements is refused under those declarations."""
    from dagster_cerniq.defs.lifecycle import transitions

    before = Reads(models=("fct_state_eligibility", "fct_kol_scores"), after=("churn_factors",))
    load = statements(transitions.__file__, before)
    for name, missing in [
        ("close_winbacks", "fct_client_order_metrics"),
        ("start_winbacks", "winback_campaign_steps"),
        ("intervention_task_candidates", "fct_churn_scores"),
    ]:
        with pytest.raises(UndeclaredRead, match=missing):
            load(name)
    load("apply_transitions")  # reads fct_state_eligibility only: declared
