"""`python -m benchmarks.prediction --clients N [--tenants T] [--seed S] [--backtest-dates K]`:
the churn prediction's figures for issue 14's "Must show", against baselines run in the same job.
See benchmarks/README.md, "Benchmark: the churn prediction".

1. The step: the Python part of the `churn_prediction` asset (read the features dbt built as of
   the generated data's last day, then model.predict) beside the same read with a trivial
   predictor (recency alone); wall seconds and peak RSS of each, and their ratio.
2. The backtest (`cerniq backtest`'s run_backtest) of the first tenant over K past dates: seconds
   per date, and its figures for the seed score and the prediction.
"""

import argparse
import datetime as dt
import json
import os
import resource
import statistics
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass
from multiprocessing import get_context
from pathlib import Path

import pandas as pd
import psutil
import psycopg
from tabulate import tabulate

from benchmarks import dataset
from benchmarks.__main__ import RESULTS_DIR, benchmark_server
from benchmarks.run import DEFAULT_GENERATED_AS_OF, DEFAULT_SEED, Options
from dagster_cerniq.defs.churn import model, prediction
from dagster_cerniq.defs.dbt.project import DBT_PROJECT_DIR, dbt_child_env, dbt_vars
from dagster_cerniq.lib.run_dates import logical_time
from dagster_cerniq.lib.write_back import RunScope, analytics_relation
from dagster_cerniq.ops.backtest import (
    DEFAULT_EVERY_DAYS,
    BacktestPlan,
    plan_backtest,
    run_backtest,
)
from dagster_cerniq.ops.database import connect, redact

FEATURES_MODEL = "fct_churn_prediction_features"
DBT = str(Path(sys.executable).parent / "dbt")
# Its own target folder: the pipeline's manifest in dbt_project/target stays untouched.
DBT_TARGET = DBT_PROJECT_DIR / "target" / "benchmark_prediction"
MIB = 1024 * 1024

# Issue 14's targets.
MIN_AUC = 0.80
MIN_AUC_GAIN = 0.10  # over the seed score's
MIN_TOP_10_LIFT = 3.0  # top-10 % precision over the base rate
MAX_CALIBRATION_GAP = 0.03  # mean predicted vs realised churn rate
STEP_TARGET_CLIENTS = 1_000_000
STEP_MAX_SECONDS = 60.0
STEP_MAX_MIB = 1024.0
BACKTEST_TARGET_CLIENTS = 10_000
BACKTEST_TARGET_DATES = 6
BACKTEST_MAX_SECONDS = 300.0


# The predictors the step is timed with. Each gets the same features frame and returns the
# number of clients it scored (nothing is written: writing is the same for any predictor).
def predict_with_model(features: pd.DataFrame, scope: RunScope) -> dict[str, int]:
    predictions, _no_model = model.predict(
        features, scope.tenant_ids, scope.as_of, prediction.fit_rule()
    )
    return {
        "clients_scored": sum(len(p.clients) for p in predictions),
        "tenants_fitted_alone": sum(p.scope == "TENANT" for p in predictions),
        "tenants_pooled": sum(p.scope == "POOLED" for p in predictions),
    }


def predict_with_recency(features: pd.DataFrame, scope: RunScope) -> dict[str, int]:
    """The trivial baseline: the longer a client has been quiet, the likelier it churns (the
    seed's DAYS_INACTIVE factor alone); a rank, no fitting."""
    scored = features[features["snapshot_role"] == "SCORE"]
    risk = scored.groupby("tenant_id")["days_since_last_order"].rank(pct=True)
    return {"clients_scored": int(risk.notna().sum())}


PREDICTORS: dict[str, Callable[[pd.DataFrame, RunScope], dict[str, int]]] = {
    "prediction": predict_with_model,
    "recency (baseline)": predict_with_recency,
}


@dataclass
class StepMeasurement:
    predictor: str
    feature_rows_read: int
    read_seconds: float  # medians over the repeats
    predict_seconds: float
    total_seconds: float
    rss_before_mib: float  # the process with its imports, before the first read
    peak_rss_mib: float
    counts: dict[str, int]

    @property
    def step_mib(self) -> float:
        """What the step itself added to the process's memory at its peak."""
        return self.peak_rss_mib - self.rss_before_mib


def measure_step(
    url: str, tenant_ids: list[str], as_of: dt.date, predictor: str, repeats: int
) -> StepMeasurement:
    """Read the features and score them `repeats` times, in this (fresh) process."""
    scope = RunScope(tenant_ids, as_of, logical_time(as_of), uuid.uuid4())
    rss_before = psutil.Process().memory_info().rss
    reads, predicts, totals = [], [], []
    for _ in range(repeats):
        started = time.perf_counter()
        with connect(url) as conn:
            features = prediction.read_model_features(conn, scope)
        read = time.perf_counter()
        counts = PREDICTORS[predictor](features, scope)
        done = time.perf_counter()
        reads.append(read - started)
        predicts.append(done - read)
        totals.append(done - started)
        rows = len(features)
        del features  # the next repeat's read must not find the previous frame still held
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # KiB on Linux
    return StepMeasurement(
        predictor=predictor,
        feature_rows_read=rows,
        read_seconds=round(statistics.median(reads), 3),
        predict_seconds=round(statistics.median(predicts), 3),
        total_seconds=round(statistics.median(totals), 3),
        rss_before_mib=round(rss_before / MIB, 1),
        peak_rss_mib=round(peak / MIB, 1),
        counts=counts,
    )


def measure_in_fresh_process(*arguments) -> StepMeasurement:
    """measure_step in a process of its own, so that each predictor's peak memory is its own
    (RSS seldom shrinks: the second contender in one process would inherit the first's)."""
    with ProcessPoolExecutor(max_workers=1, mp_context=get_context("spawn")) as pool:
        return pool.submit(measure_step, *arguments).result()


def build_features(url: str, tenant_ids: list[str], as_of: dt.date) -> float:
    """Build the features model and what it depends on as of `as_of`; returns dbt's seconds."""
    command = [
        DBT, "run", "--select", f"+{FEATURES_MODEL}",
        "--project-dir", str(DBT_PROJECT_DIR), "--profiles-dir", str(DBT_PROJECT_DIR),
        "--target-path", str(DBT_TARGET), "--vars", json.dumps(dbt_vars(tenant_ids, as_of)),
    ]  # fmt: skip
    started = time.perf_counter()
    result = subprocess.run(
        command, capture_output=True, text=True, env=dbt_child_env(os.environ, url)
    )
    if result.returncode != 0:
        raise RuntimeError(f"dbt run of {FEATURES_MODEL} failed:\n{result.stdout[-3000:]}")
    return time.perf_counter() - started


def feature_rows_by_role(url: str) -> dict[str, int]:
    query = psycopg.sql.SQL("select snapshot_role, count(*) from {} group by 1").format(
        analytics_relation(FEATURES_MODEL)
    )
    with connect(url) as conn:
        return dict(conn.execute(query).fetchall())


@dataclass
class BacktestMeasurement:
    tenant_id: str
    clients: int
    dates: list[str]
    horizon_days: int
    seconds: float
    figures: dict[str, object]  # run_backtest's figures for the current parameters
    folder: str  # its table, JSON and picture

    @property
    def seconds_per_date(self) -> float:
        return self.seconds / len(self.dates)


def backtest_plan(tenant_id: uuid.UUID, now: dt.date, dates: int) -> BacktestPlan:
    """`cerniq backtest`'s dates as of `now` (the data's last day): a month apart, ending with
    the latest whose horizon has passed, `dates` of them."""
    latest = plan_backtest(tenant_id, now=now).dates[-1]
    start = latest - dt.timedelta(days=DEFAULT_EVERY_DAYS * (dates - 1))
    return plan_backtest(tenant_id, start=start, end=latest, now=now)


def measure_backtest(url: str, plan: BacktestPlan, folder: Path, log) -> BacktestMeasurement:
    with connect(url) as conn:
        (clients,) = conn.execute(
            "select count(*) from gold_clients where tenant_id = %s", (plan.tenant_id,)
        ).fetchone()
    started = time.perf_counter()
    report = run_backtest(url, plan, folder, say=log)
    return BacktestMeasurement(
        tenant_id=str(plan.tenant_id),
        clients=clients,
        dates=[day.isoformat() for day in plan.dates],
        horizon_days=plan.horizon_days,
        seconds=round(time.perf_counter() - started, 1),
        figures=report.current,
        folder=str(folder),
    )


@dataclass(frozen=True)
class Target:
    name: str
    measured: str
    met: bool | None  # None: not at the scale the target is set for


def targets(
    clients: int, step: StepMeasurement, backtest: BacktestMeasurement | None
) -> list[Target]:
    found = []
    if backtest is not None and "prediction" in backtest.figures:
        figures = backtest.figures
        seed, predicted = figures["seed_score"], figures["prediction"]
        auc, seed_auc = predicted["roc_auc"], seed["roc_auc"]
        lift = predicted["top_10_percent"]["lift"]
        gap = abs(predicted["mean_probability"] - figures["churn_rate"])
        found += [
            Target(f"prediction AUC >= {MIN_AUC}", _decimal(auc), _at_least(auc, MIN_AUC)),
            Target(
                f"AUC gain over the seed score >= {MIN_AUC_GAIN}",
                _decimal(_minus(auc, seed_auc)),
                _at_least(_minus(auc, seed_auc), MIN_AUC_GAIN),
            ),
            Target(
                f"top-10 % precision >= {MIN_TOP_10_LIFT:g} x base rate",
                f"{lift:.2f} x",
                lift >= MIN_TOP_10_LIFT,
            ),
            Target(
                f"|mean predicted - realised| <= {MAX_CALIBRATION_GAP * 100:g} points",
                f"{gap * 100:.1f} points",
                gap <= MAX_CALIBRATION_GAP,
            ),
        ]
    at_step_scale = clients >= STEP_TARGET_CLIENTS
    found += [
        Target(
            f"step <= {STEP_MAX_SECONDS:g} s at {STEP_TARGET_CLIENTS:,} clients",
            f"{step.total_seconds:.2f} s at {clients:,}",
            step.total_seconds <= STEP_MAX_SECONDS if at_step_scale else None,
        ),
        Target(
            f"step < {STEP_MAX_MIB:g} MiB at {STEP_TARGET_CLIENTS:,} clients",
            f"{step.peak_rss_mib:,.0f} MiB peak RSS at {clients:,}",
            step.peak_rss_mib < STEP_MAX_MIB if at_step_scale else None,
        ),
    ]
    if backtest is not None:
        full_size = (
            backtest.clients >= BACKTEST_TARGET_CLIENTS
            and len(backtest.dates) >= BACKTEST_TARGET_DATES
        )
        found.append(
            Target(
                f"{BACKTEST_TARGET_DATES}-date backtest of a {BACKTEST_TARGET_CLIENTS:,}-client "
                f"tenant <= {BACKTEST_MAX_SECONDS:g} s",
                f"{backtest.seconds:,.0f} s ({len(backtest.dates)} dates, "
                f"{backtest.clients:,} clients)",
                backtest.seconds <= BACKTEST_MAX_SECONDS if full_size else None,
            )
        )
    return found


def _minus(a: float | None, b: float | None) -> float | None:
    return None if a is None or b is None else a - b


def _at_least(value: float | None, limit: float) -> bool | None:
    return None if value is None else value >= limit


def _decimal(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def _share(value: float | None) -> str:
    return "-" if value is None else f"{value:.1%}"


def _ratio(numerator: float, denominator: float) -> str:
    return f"{numerator / denominator:.1f} x" if denominator > 0 else "-"


def step_table(step: StepMeasurement, baseline: StepMeasurement) -> str:
    rows = [
        [m.predictor, f"{m.feature_rows_read:,}", f"{m.read_seconds:.3f}",
         f"{m.predict_seconds:.3f}", f"{m.total_seconds:.3f}", f"{m.peak_rss_mib:,.0f}",
         f"{m.step_mib:,.0f}"]
        for m in (step, baseline)
    ]  # fmt: skip
    rows.append(
        ["ratio", "", _ratio(step.read_seconds, baseline.read_seconds),
         _ratio(step.predict_seconds, baseline.predict_seconds),
         _ratio(step.total_seconds, baseline.total_seconds),
         _ratio(step.peak_rss_mib, baseline.peak_rss_mib), _ratio(step.step_mib, baseline.step_mib)]
    )  # fmt: skip
    headers = ["predictor", "feature rows", "read s", "predict s", "total s", "peak RSS MiB",
               "step's own MiB"]  # fmt: skip
    return tabulate(rows, headers=headers, disable_numparse=True)


def backtest_table(backtest: BacktestMeasurement) -> str:
    figures = backtest.figures
    base = figures["churn_rate"]
    bands = figures["risk_bands"]
    rows = []
    for name, key in (("seed score", "seed_score"), ("prediction", "prediction")):
        found = figures.get(key)
        if found is None:
            rows.append([name, "no prediction stored", "", "", "", ""])
            continue
        top = found["top_10_percent"]
        rows.append(
            [name, _decimal(found["roc_auc"]), _share(top["precision"]), f"{top['lift']:.2f} x",
             _share(found.get("mean_probability")), _decimal(found.get("brier_score"))]
        )  # fmt: skip
    headers = ["predictor", "ROC AUC", "top-10 % precision", "x base rate", "mean predicted",
               "Brier"]  # fmt: skip
    return (
        tabulate(rows, headers=headers, disable_numparse=True)
        + f"\nrealised churn rate (base rate) {base:.1%} over {backtest.horizon_days} days, "
        f"{figures['clients_and_dates']:,} client-dates; seed bands flag HIGH/CRITICAL "
        f"{_share(bands['share_flagged_high_or_critical'])}, of which "
        f"{_share(bands['precision_flagged'])} churned"
    )


def targets_table(found: list[Target]) -> str:
    verdict = {True: "met", False: "NOT met", None: "below the target's scale"}
    rows = [[t.name, t.measured, verdict[t.met]] for t in found]
    return tabulate(rows, headers=["issue 14 target", "measured", "result"], disable_numparse=True)


def render(payload: dict[str, object], step, baseline, backtest, found) -> str:
    data = payload["dataset"]
    parts = [
        f"{data['tenants']} tenant(s) x {data['clients_per_tenant']:,} clients "
        f"({data['clients']:,}), as of {payload['as_of']}; features built by dbt in "
        f"{payload['features']['dbt_seconds']:.1f} s",
        "",
        f"Prediction step (read + predict, each predictor in a fresh process; median of "
        f"{payload['repeats']})",
        step_table(step, baseline),
    ]
    if backtest is not None:
        parts += [
            "",
            f"Backtest of tenant {backtest.tenant_id} ({backtest.clients:,} clients), "
            f"{len(backtest.dates)} dates {backtest.dates[0]} .. {backtest.dates[-1]}: "
            f"{backtest.seconds:,.0f} s, {backtest.seconds_per_date:,.1f} s per date",
            backtest_table(backtest),
        ]
    parts += ["", targets_table(found)]
    return "\n".join(parts)


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.prediction", description=__doc__)
    parser.add_argument("--clients", type=int, required=True, help="clients per tenant")
    parser.add_argument("--tenants", type=int, default=1)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument(
        "--backtest-dates", type=int, default=BACKTEST_TARGET_DATES,
        help="dates of the first tenant's backtest (0: no backtest)",
    )  # fmt: skip
    parser.add_argument(
        "--repeats", type=int, default=3, help="timed repetitions of each predictor's step"
    )
    parser.add_argument(
        "--generated-as-of", type=dt.date.fromisoformat, default=DEFAULT_GENERATED_AS_OF,
        help="last day of the generated data; the step's as-of date",
    )  # fmt: skip
    parser.add_argument("--json", type=Path, help="where to write the results")
    parser.add_argument(
        "--admin-url",
        help="a role that may create databases (default: CERNIQ_DATABASE_URL's server, else an "
        "embedded one)",
    )
    parser.add_argument("--keep-database", action="store_true")
    args = parser.parse_args()
    if args.clients < 1 or args.tenants < 1 or args.repeats < 1 or args.backtest_dates < 0:
        parser.error("--clients, --tenants and --repeats must be positive, --backtest-dates >= 0")

    def log(line: str) -> None:
        print(line, file=sys.stderr, flush=True)

    as_of = args.generated_as_of
    name = f"benchmark_prediction_{args.tenants}x{args.clients}"
    path = args.json or RESULTS_DIR / f"prediction-{args.tenants}x{args.clients}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    # Redacted: --admin-url may carry a password, and the command goes into the JSON.
    command = "python -m benchmarks.prediction " + " ".join(map(redact, sys.argv[1:]))
    with benchmark_server(args.admin_url) as admin_url:
        try:
            log(f"generating {args.tenants} x {args.clients} as of {as_of}")
            # Messages are analysed from the first backtest date's lookback window on: the
            # replays' message rules read them; the step itself reads orders only.
            # (The dates do not depend on the tenant, not generated yet.)
            first_date = backtest_plan(uuid.UUID(int=0), as_of, max(args.backtest_dates, 1)).dates[
                0
            ]
            analysed_from = Options().analysed_from(first_date)
            data = dataset.build_dataset(
                admin_url, name, args.tenants, args.clients, args.seed, as_of, analysed_from
            )
            tenant_ids = [str(tenant_id) for tenant_id in data.tenant_ids]
            log(f"  data ready in {data.build_seconds:.0f} s; building {FEATURES_MODEL}")
            dbt_seconds = build_features(data.url, tenant_ids, as_of)
            measured = {}
            for predictor in PREDICTORS:
                log(f"  step with {predictor}")
                measured[predictor] = measure_in_fresh_process(
                    data.url, tenant_ids, as_of, predictor, args.repeats
                )
            step, baseline = measured.values()
            backtest = None
            if args.backtest_dates:
                log(f"  backtest of tenant {tenant_ids[0]} over {args.backtest_dates} dates")
                plan = backtest_plan(data.tenant_ids[0], as_of, args.backtest_dates)
                folder = path.with_name(path.stem + "-backtest")
                backtest = measure_backtest(data.url, plan, folder, log)
            rows_by_role = feature_rows_by_role(data.url)
        finally:
            if not args.keep_database:
                dataset.drop_databases(admin_url, [name])
    found = targets(data.clients, step, backtest)
    payload: dict[str, object] = {
        "command": command,
        "as_of": as_of.isoformat(),
        "seed": args.seed,
        "repeats": args.repeats,
        "dataset": {
            "tenants": len(tenant_ids),
            "clients_per_tenant": args.clients,
            "clients": data.clients,
            "build_seconds": round(data.build_seconds, 1),
        },
        "features": {"dbt_seconds": round(dbt_seconds, 1), "rows_by_role": rows_by_role},
        "step": {
            "prediction": {**asdict(step), "step_mib": round(step.step_mib, 1)},
            "baseline": {**asdict(baseline), "step_mib": round(baseline.step_mib, 1)},
        },
        "backtest": None
        if backtest is None
        else {**asdict(backtest), "seconds_per_date": round(backtest.seconds_per_date, 1)},
        "targets": [asdict(target) for target in found],
    }
    text = render(payload, step, baseline, backtest, found)
    path.write_text(json.dumps({**payload, "report": text}, indent=2, default=str))
    print(f"$ {command}\n\n{text}\n\nresults written to {path}")


if __name__ == "__main__":
    main()
