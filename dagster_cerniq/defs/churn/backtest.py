"""The backtest as a Dagster asset (job `backtest`): for one tenant partition, the replay
of past as-of dates that `cerniq backtest` runs (dagster_cerniq/ops/backtest.py), with its
figures, table and picture in the materialization's metadata. Never part of an evaluation run:
it replays in a scratch database and writes nothing to the live tables."""

import datetime as dt
import uuid

from dagster import AssetExecutionContext, Config, MaterializeResult, MetadataValue, asset
from pydantic import Field

from dagster_cerniq.defs.automation.partitions import tenant_partitions
from dagster_cerniq.defs.dbt.project import what_if_vars
from dagster_cerniq.defs.dbt.translator import WORKER_TAG
from dagster_cerniq.lib.reports import report_dir
from dagster_cerniq.lib.resources import CerniqDatabase
from dagster_cerniq.ops.backtest import plan_backtest, run_backtest


class BacktestConfig(Config):
    """Empty fields take the defaults of `cerniq backtest`."""

    from_date: str = ""  # YYYY-MM-DD
    to_date: str = ""  # YYYY-MM-DD; default: today - horizon
    every_days: int = 0  # default 30
    horizon_days: int = 0  # default: the dbt var churn_horizon_days
    # NAME=VALUE: dbt vars changed for the second replay.
    what_if: list[str] = Field(default_factory=list)


def _date(value: str) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


@asset(
    key="churn_backtest",
    group_name="churn",
    partitions_def=tenant_partitions,
    tags={WORKER_TAG: "prediction"},
    kinds={"postgres", "sklearn"},
    description=(
        "Backtest of one tenant: replays past as-of dates in a scratch database and scores the "
        "seed score, its bands and the prediction against realised churn (AUC, top 5/10 % "
        "precision and lift, share flagged, Brier, reliability); a what-if beside the current "
        "parameters."
    ),
)
def churn_backtest(
    context: AssetExecutionContext, config: BacktestConfig, database: CerniqDatabase
) -> MaterializeResult:
    tenant_id = uuid.UUID(context.partition_key)
    plan = plan_backtest(
        tenant_id,
        _date(config.from_date),
        _date(config.to_date),
        config.every_days or None,
        config.horizon_days or None,
        what_if_vars(config.what_if),
    )
    folder = report_dir("backtest", f"{tenant_id}-run-{context.run.run_id[:8]}")
    report = run_backtest(database.conninfo(), plan, folder, say=context.log.info)
    metadata: dict[str, object] = {
        "dates": ", ".join(d.isoformat() for d in plan.dates),
        "horizon_days": plan.horizon_days,
        "headline": MetadataValue.md("\n\n".join(report.headline())),
        "picture": MetadataValue.path(str(report.picture)),
        "table": MetadataValue.path(str(report.table)),
        "figures": MetadataValue.json(
            {"current": report.current, "what_if": report.what_if, "parameters": plan.what_if}
        ),
    }
    for name, figures in (("current", report.current), ("what_if", report.what_if)):
        if figures is None:
            continue
        metadata[f"{name}_seed_score_auc"] = figures["seed_score"]["roc_auc"]
        metadata[f"{name}_share_flagged"] = figures["risk_bands"]["share_flagged_high_or_critical"]
        if "prediction" in figures:
            metadata[f"{name}_prediction_auc"] = figures["prediction"]["roc_auc"]
            metadata[f"{name}_brier_score"] = figures["prediction"]["brier_score"]
    return MaterializeResult(metadata=metadata)
