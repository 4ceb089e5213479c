"""The backtest (SPEC §5): how well the seed score, its risk bands and the churn prediction
foresaw churn. It replays a tenant's past as-of dates with the real pipeline in a scratch
database (a copy of the tenant's source rows: nothing of the live tables is touched, and each
date sees only what it saw then), reads what each date's evaluation stored (the score history),
labels realised churn over the horizon from the orders known now, and reports ROC AUC, precision
and lift in the top 5 % / 10 %, the share flagged HIGH/CRITICAL and their precision, the Brier
score and the reliability curve. A what-if (changed dbt vars) is replayed the same way in a
second scratch copy and shown beside the current parameters.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import psycopg
from matplotlib.figure import Figure
from psycopg import sql
from sklearn.calibration import calibration_curve
from sklearn.metrics import brier_score_loss, roc_auc_score, roc_curve

from dagster_cerniq.defs.dbt.project import dbt_var_defaults
from dagster_cerniq.lib.run_dates import today
from dagster_cerniq.ops import migrations
from dagster_cerniq.ops.database import connect, with_database
from dagster_cerniq.ops.errors import CerniqError
from dagster_cerniq.ops.instance import storage_database
from dagster_cerniq.ops.pipeline import run_pipeline

SQL = Path(__file__).with_name("sql")
DEFAULT_EVERY_DAYS = 30
DEFAULT_DATES = 6
TOP_SHARES = (0.05, 0.10)
FLAGGED_LEVELS = ("HIGH", "CRITICAL")
RELIABILITY_BINS = 10

# The tenant's source rows a replay needs, in foreign-key order: the app's tables, the NPS
# answers (the surveys the pipeline schedules are its own output) and the message analyses
# (already paid for: a replay does not call Claude again for them).
SOURCE_TABLES = (
    ("tenants", "id = %(tenant_id)s"),
    ("users", "tenant_id = %(tenant_id)s"),
    ("gold_clients", "tenant_id = %(tenant_id)s"),
    ("gold_contacts", "tenant_id = %(tenant_id)s"),
    ("gold_orders", "tenant_id = %(tenant_id)s"),
    ("gold_client_messages", "tenant_id = %(tenant_id)s"),
    ("gold_invoices", "tenant_id = %(tenant_id)s"),
    ("gold_support_tickets", "tenant_id = %(tenant_id)s"),
    ("gold_nps_surveys", "tenant_id = %(tenant_id)s and responded_at is not null"),
    ("gold_referrals", "tenant_id = %(tenant_id)s"),
    ("gold_sentiment_analysis", "tenant_id = %(tenant_id)s and source_type = 'MESSAGE'"),
)
# Columns of those rows that the pipeline writes, copied as NULL: the replay writes its own
# (an analysis's link to the signal it produced points at a signal the copy does not hold).
PIPELINE_COLUMNS = {"gold_sentiment_analysis": {"generated_churn_signal_id"}}


@dataclass(frozen=True)
class BacktestPlan:
    tenant_id: uuid.UUID
    dates: tuple[dt.date, ...]
    horizon_days: int
    what_if: dict[str, object] = field(default_factory=dict)


def plan_backtest(
    tenant_id: uuid.UUID,
    start: dt.date | None = None,
    end: dt.date | None = None,
    every_days: int | None = None,
    horizon_days: int | None = None,
    what_if: dict[str, object] | None = None,
    now: dt.date | None = None,
) -> BacktestPlan:
    """The dates to replay: from `start` to `end` every `every_days` (default: six dates a month
    apart, the last one the latest whose horizon has passed). Every date's horizon must have
    passed by today, or its churn is not known yet."""
    horizon = int(horizon_days or dbt_var_defaults()["churn_horizon_days"])
    every = every_days or DEFAULT_EVERY_DAYS
    if horizon <= 0 or every <= 0:
        raise CerniqError("--horizon and --every must be positive numbers of days")
    latest = (now or today()) - dt.timedelta(days=horizon)
    end = end or latest
    start = start or end - dt.timedelta(days=every * (DEFAULT_DATES - 1))
    if end > latest:
        raise CerniqError(
            f"--to {end.isoformat()} is too recent: churn over {horizon} days is known only for "
            f"dates up to {latest.isoformat()}"
        )
    if start > end:
        raise CerniqError(f"--from {start.isoformat()} is after --to {end.isoformat()}")
    dates = []
    day = start
    while day <= end:
        dates.append(day)
        day += dt.timedelta(days=every)
    return BacktestPlan(tenant_id, tuple(dates), horizon, dict(what_if or {}))


def _sql(name: str) -> str:
    return (SQL / f"{name}.sql").read_text(encoding="utf-8")


@contextmanager
def scratch_copy(url: str, tenant_id: uuid.UUID) -> Iterator[str]:
    """A new database on the same server holding the tenant's source rows, migrated; dropped
    with its Dagster storage afterwards. Needs the CREATEDB privilege."""
    name = f"cerniq_backtest_{uuid.uuid4().hex[:12]}"
    with connect(url, autocommit=True) as admin:
        try:
            admin.execute(sql.SQL("create database {}").format(sql.Identifier(name)))
        except psycopg.errors.InsufficientPrivilege as exc:
            raise CerniqError(
                "the backtest replays in a scratch database and needs the CREATEDB privilege "
                f"on this server ({exc.diag.message_primary})"
            ) from None
    scratch = with_database(url, name)
    try:
        migrations.apply_pending(scratch)
        params = {"tenant_id": tenant_id}
        with connect(url) as source, connect(scratch) as target:
            for table, where in SOURCE_TABLES:
                columns = [
                    row[0]
                    for row in target.execute(
                        "select column_name from information_schema.columns where table_schema"
                        " = 'public' and table_name = %s order by ordinal_position",
                        (table,),
                    )
                ]
                names = sql.SQL(", ").join(map(sql.Identifier, columns))
                cleared = PIPELINE_COLUMNS.get(table, set())
                selected = sql.SQL(", ").join(
                    sql.SQL("null") if column in cleared else sql.Identifier(column)
                    for column in columns
                )
                query = sql.SQL("copy (select {} from {} where {}) to stdout").format(
                    selected, sql.Identifier(table), sql.SQL(where)
                )
                with (
                    source.cursor().copy(query, params) as out,
                    target.cursor().copy(
                        sql.SQL("copy {} ({}) from stdin").format(sql.Identifier(table), names)
                    ) as into,
                ):
                    for block in out:
                        into.write(block)
                # Fresh tables have no statistics: the replay's first dbt build would plan its
                # joins for a handful of rows (minutes instead of seconds).
                target.execute(sql.SQL("analyze {}").format(sql.Identifier(table)))
            target.commit()
        yield scratch
    finally:
        with connect(url, autocommit=True) as admin:
            for database in (name, storage_database(scratch)):
                admin.execute(
                    sql.SQL("drop database if exists {} with (force)").format(
                        sql.Identifier(database)
                    )
                )


def replay(
    scratch: str,
    plan: BacktestPlan,
    overrides: dict[str, object],
    say: Callable[[str], None],
) -> pd.DataFrame:
    """Run the pipeline as of each date in order (as the live runs did) and read what each
    date's evaluation stored."""
    # Both replays predict over the backtest's horizon, the one its labels use.
    overrides = {**overrides, "churn_horizon_days": plan.horizon_days}
    frames = []
    for number, as_of in enumerate(plan.dates, start=1):
        say(f"  replaying {as_of.isoformat()} ({number}/{len(plan.dates)})")
        runs = run_pipeline(scratch, [plan.tenant_id], as_of, replay=True, dbt_overrides=overrides)
        failed = [run for run in runs if not run.success]
        if failed:
            raise CerniqError(f"the backtest's replay as of {as_of.isoformat()}: {failed[0].error}")
        with connect(scratch) as conn:
            cursor = conn.execute(
                _sql("backtest_scores"), {"tenant_id": plan.tenant_id, "as_of": as_of}
            )
            frames.append(
                pd.DataFrame(cursor.fetchall(), columns=[c.name for c in cursor.description])
            )
    return pd.concat(frames, ignore_index=True)


def realised_churn(url: str, plan: BacktestPlan) -> pd.DataFrame:
    with connect(url) as conn:
        cursor = conn.execute(
            _sql("backtest_labels"),
            {
                "tenant_id": plan.tenant_id,
                "dates": list(plan.dates),
                "horizon_days": plan.horizon_days,
            },
        )
        return pd.DataFrame(cursor.fetchall(), columns=[c.name for c in cursor.description])


def _top_share(labels: np.ndarray, scores: np.ndarray, share: float) -> dict[str, float]:
    count = max(1, round(len(scores) * share))
    # Stable order: ties keep the client order, so reruns agree.
    top = np.argsort(-scores, kind="stable")[:count]
    precision = float(labels[top].mean())
    base = float(labels.mean())
    return {"precision": precision, "lift": precision / base if base else float("nan")}


def predictor_metrics(labels: np.ndarray, scores: np.ndarray) -> dict[str, object]:
    both_classes = 0 < labels.sum() < len(labels)
    result: dict[str, object] = {
        "roc_auc": float(roc_auc_score(labels, scores)) if both_classes else None,
    }
    for share in TOP_SHARES:
        result[f"top_{round(share * 100)}_percent"] = _top_share(labels, scores, share)
    return result


def evaluate(frame: pd.DataFrame) -> dict[str, object]:
    """The backtest's figures over every replayed date and client (`churned`: the label)."""
    labels = frame["churned"].to_numpy(dtype=bool)
    seed = frame["overall_churn_score"].astype(float).to_numpy()
    flagged = frame["risk_level"].isin(FLAGGED_LEVELS).to_numpy()
    figures: dict[str, object] = {
        "clients_and_dates": len(frame),
        "churn_rate": float(labels.mean()),
        "seed_score": predictor_metrics(labels, seed),
        "risk_bands": {
            "share_flagged_high_or_critical": float(flagged.mean()),
            "precision_flagged": float(labels[flagged].mean()) if flagged.any() else None,
            "by_level": {
                level: {"share": float(share), "churn_rate": float(labels[at_level].mean())}
                for level in sorted(frame["risk_level"].unique())
                for at_level in [(frame["risk_level"] == level).to_numpy()]
                for share in [at_level.mean()]
            },
        },
        "by_date": {},
    }  # fmt: skip
    predicted = frame["prediction_confidence"].notna().to_numpy()
    if predicted.any():
        probability = frame["prediction_confidence"].astype(float).to_numpy()[predicted] / 100
        truth = labels[predicted]
        observed, mean_predicted = calibration_curve(
            truth, probability, n_bins=RELIABILITY_BINS, strategy="quantile"
        )
        figures["prediction"] = {
            **predictor_metrics(truth, probability),
            "clients_predicted": int(predicted.sum()),
            "mean_probability": float(probability.mean()),
            "brier_score": float(brier_score_loss(truth, probability)),
            "reliability": [
                {"mean_predicted": float(p), "observed": float(o)}
                for p, o in zip(mean_predicted, observed, strict=True)
            ],
        }
    for as_of, rows in frame.groupby("as_of"):
        day_labels = rows["churned"].to_numpy(dtype=bool)
        entry = {
            "clients": len(rows),
            "churn_rate": float(day_labels.mean()),
            "seed_score_auc": predictor_metrics(
                day_labels, rows["overall_churn_score"].astype(float).to_numpy()
            )["roc_auc"],
        }
        if rows["prediction_confidence"].notna().all():
            entry["prediction_auc"] = predictor_metrics(
                day_labels, rows["prediction_confidence"].astype(float).to_numpy()
            )["roc_auc"]
            entry["mean_probability"] = float(
                rows["prediction_confidence"].astype(float).mean() / 100
            )
        figures["by_date"][as_of.isoformat()] = entry
    return figures


@dataclass
class BacktestReport:
    plan: BacktestPlan
    current: dict[str, object]
    what_if: dict[str, object] | None
    folder: Path
    table: Path
    figures_json: Path
    picture: Path

    def headline(self) -> list[str]:
        lines = []
        for label, figures in (("current", self.current), ("what-if", self.what_if)):
            if figures is None:
                continue
            seed = figures["seed_score"]
            bands = figures["risk_bands"]
            prediction = figures.get("prediction", {})
            lines.append(
                f"{label}: churn rate {figures['churn_rate']:.1%} over {self.plan.horizon_days} "
                f"days; seed score AUC {_auc(seed['roc_auc'])}, prediction AUC "
                f"{_auc(prediction.get('roc_auc'))}; flagged HIGH/CRITICAL "
                f"{bands['share_flagged_high_or_critical']:.1%} (precision "
                f"{_share(bands['precision_flagged'])}); top 10 % precision seed "
                f"{seed['top_10_percent']['precision']:.1%}, prediction "
                f"{_share(prediction.get('top_10_percent', {}).get('precision'))}; mean "
                f"predicted {_share(prediction.get('mean_probability'))}, Brier "
                f"{_number(prediction.get('brier_score'))}"
            )
        return lines


def _auc(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def _share(value: float | None) -> str:
    return "-" if value is None else f"{value:.1%}"


def _number(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def draw(frames: dict[str, pd.DataFrame], title: str) -> bytes:
    """ROC curves, the reliability curve and the precision of the top k % for each predictor
    (and each of the what-if's), one PNG."""
    figure = Figure(figsize=(15, 4.6))
    roc_axes, reliability_axes, lift_axes = figure.subplots(1, 3)
    shares = np.linspace(0.01, 1.0, 100)
    for name, frame in frames.items():
        labels = frame["churned"].to_numpy(dtype=bool)
        predictors = {"seed score": frame["overall_churn_score"].astype(float)}
        if frame["prediction_confidence"].notna().all():
            predictors["prediction"] = frame["prediction_confidence"].astype(float)
        for predictor, scores in predictors.items():
            label = f"{predictor} ({name})"
            if 0 < labels.sum() < len(labels):
                fpr, tpr, _ = roc_curve(labels, scores)
                auc = roc_auc_score(labels, scores)
                roc_axes.plot(fpr, tpr, label=f"{label}: AUC {auc:.3f}")
            order = np.argsort(-scores.to_numpy(), kind="stable")
            precision = [labels[order[: max(1, int(len(order) * s))]].mean() for s in shares]
            lift_axes.plot(shares * 100, precision, label=label)
        if "prediction" in predictors:
            observed, predicted = calibration_curve(
                labels, predictors["prediction"] / 100, n_bins=RELIABILITY_BINS, strategy="quantile"
            )
            reliability_axes.plot(predicted, observed, marker="o", label=f"prediction ({name})")
    roc_axes.plot([0, 1], [0, 1], linestyle=":", color="grey")
    roc_axes.set(title="ROC", xlabel="false positive rate", ylabel="true positive rate")
    reliability_axes.plot([0, 1], [0, 1], linestyle=":", color="grey", label="perfect")
    reliability_axes.set(
        title="Reliability of the prediction", xlabel="mean predicted probability",
        ylabel="observed churn rate",
    )  # fmt: skip
    base = next(iter(frames.values()))["churned"].mean()
    lift_axes.axhline(base, linestyle=":", color="grey", label=f"base rate {base:.1%}")
    lift_axes.set(title="Precision in the top k %", xlabel="top k % by risk", ylabel="churned")
    for axes in (roc_axes, reliability_axes, lift_axes):
        axes.legend(fontsize="x-small")
    figure.suptitle(title)
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=100)
    return buffer.getvalue()


def run_backtest(
    url: str, plan: BacktestPlan, folder: Path, say: Callable[[str], None] = lambda _: None
) -> BacktestReport:
    """Replay, label, evaluate and write the table (CSV), the figures (JSON) and the picture."""
    labels = realised_churn(url, plan)
    frames: dict[str, pd.DataFrame] = {}
    variants = {"current": {}} | ({"what-if": plan.what_if} if plan.what_if else {})
    for name, overrides in variants.items():
        say(f"{name} parameters{': ' + json.dumps(overrides) if overrides else ''}")
        with scratch_copy(url, plan.tenant_id) as scratch:
            stored = replay(scratch, plan, overrides, say)
        stored["client_id"] = stored["client_id"].astype(str)
        labels["client_id"] = labels["client_id"].astype(str)
        frames[name] = stored.merge(labels, on=["as_of", "client_id"], how="inner")
    folder.mkdir(parents=True, exist_ok=True)
    table = folder / "backtest_clients.csv"
    pd.concat([frame.assign(parameters=name) for name, frame in frames.items()]).to_csv(
        table, index=False
    )
    current = evaluate(frames["current"])
    what_if = evaluate(frames["what-if"]) if "what-if" in frames else None
    figures_json = folder / "backtest.json"
    figures_json.write_text(
        json.dumps(
            {
                "tenant_id": str(plan.tenant_id),
                "dates": [d.isoformat() for d in plan.dates],
                "horizon_days": plan.horizon_days,
                "what_if_parameters": plan.what_if,
                "current": current,
                "what_if": what_if,
            },
            indent=2,
        ),
        encoding="utf-8",
    )
    picture = folder / "backtest.png"
    picture.write_bytes(
        draw(frames, f"Backtest of tenant {plan.tenant_id}: {len(plan.dates)} dates, "
                     f"churn over {plan.horizon_days} days")
    )  # fmt: skip
    return BacktestReport(plan, current, what_if, folder, table, figures_json, picture)
