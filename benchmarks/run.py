"""The benchmark of one scale: data, the pipeline's runs, the baseline's, the floor, and the
comparison of where pipeline and baseline end.

Run scheme. The data is generated as of G (two years of history ending that day). The
contenders run as of a sequence of dates G - (n-1)k, ..., G - k, G (n runs, k days apart). The
first run is cold: a fresh database, every event of the history is new. Each later run sees
the events of the k days since the previous one (k = 7: about 1 % of the history) and moves
each state one step (SPEC: a state is evaluated from the run after the one that changed it),
so four runs take clients from ONBOARDING through NURTURING_ACTIVE to AT_RISK or LOYAL_CLIENT
and on to CHURNED or ADVOCATE. The last run is the incremental one of the report.
"""

import datetime as dt
import json
import os
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from uuid import UUID

import psycopg

from benchmarks import compare, dataset, floor, measure, profile
from benchmarks.baseline.context import start_of_day
from benchmarks.baseline.params import load_parameters
from dagster_cerniq.lib.run_dates import logical_time

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SEED = 2026
DEFAULT_GENERATED_AS_OF = dt.date(2026, 10, 31)

# Source rows dated between two runs: what a run has that the previous one had not.
NEW_EVENTS = """
    select
        (select count(*) from gold_orders where tenant_id = any(%(tenants)s)
           and coalesce(delivered_at, ordered_at) >= %(since)s
           and coalesce(delivered_at, ordered_at) < %(end)s)
      + (select count(*) from gold_client_messages where tenant_id = any(%(tenants)s)
           and sent_at >= %(since)s and sent_at < %(end)s)
      + (select count(*) from gold_invoices where tenant_id = any(%(tenants)s)
           and issued_at >= %(since)s and issued_at < %(end)s)
"""


@dataclass(frozen=True)
class Scale:
    name: str
    tenants: int
    clients_per_tenant: int
    # Tenants the baseline runs on (None: all); its time is scaled to the whole data.
    baseline_tenants: int | None = None

    @property
    def clients(self) -> int:
        return self.tenants * self.clients_per_tenant


SCALES = {
    "small": Scale("small", 10, 1_000),
    "large": Scale("large", 100, 10_000, baseline_tenants=5),
}
# The same clients split into few large or many small tenants: the cost must not follow tenants.
TENANT_SPLITS = (Scale("10x10000", 10, 10_000), Scale("1000x100", 1_000, 100))


@dataclass
class Options:
    seed: int = DEFAULT_SEED
    generated_as_of: dt.date = DEFAULT_GENERATED_AS_OF
    runs: int = 4
    step_days: int = 7
    baseline_tenants: int | None = None  # overrides the scale's
    # An existing dataset to copy instead of generating one (kept by an earlier run).
    source_database: str | None = None
    database_prefix: str = "benchmark"
    keep_databases: bool = False
    log: Callable[[str], None] = field(default=lambda line: print(line, file=sys.stderr))

    def analysed_from(self, first_as_of: dt.date) -> dt.datetime:
        """The first instant of the first run's message lookback window."""
        lookback = load_parameters().int_var("message_signal_lookback_days")
        return start_of_day(first_as_of - dt.timedelta(days=lookback))

    def as_of_dates(self, runs: int | None = None) -> list[dt.date]:
        count = runs or self.runs
        return [
            self.generated_as_of - dt.timedelta(days=self.step_days * back)
            for back in range(count - 1, -1, -1)
        ]


@dataclass
class RunRecord:
    contender: str  # pipeline, baseline or floor
    as_of: str
    kind: str  # cold, step or incremental
    seconds: float
    input_rows: int
    new_events: int | None
    peak_rss_mib: float | None
    peak_server_mib: float | None
    dbt_invocations: dict[str, int] = field(default_factory=dict)
    # The baseline on a sample of tenants: its time scaled to every tenant (linear by
    # construction: one job per event or client).
    extrapolated_seconds: float | None = None
    queues: list[dict[str, object]] = field(default_factory=list)  # the baseline's
    profile: dict[str, object] = field(default_factory=dict)  # the pipeline's

    @property
    def full_seconds(self) -> float:
        return self.extrapolated_seconds or self.seconds


@dataclass
class ScaleResult:
    scale: Scale
    options: dict[str, object]
    tenants: int
    clients: int
    baseline_tenant_ids: list[str]
    baseline_clients: int
    build_seconds: float
    records: list[RunRecord]
    checks: list[compare.CheckResult]

    def record(self, contender: str, kind: str) -> RunRecord:
        return next(r for r in self.records if r.contender == contender and r.kind == kind)

    def as_json(self) -> dict[str, object]:
        return {
            "scale": asdict(self.scale),
            "options": self.options,
            "tenants": self.tenants,
            "clients": self.clients,
            "baseline_tenant_ids": self.baseline_tenant_ids,
            "baseline_clients": self.baseline_clients,
            "data_build_seconds": round(self.build_seconds, 1),
            "runs": [asdict(record) for record in self.records],
            "checks": [asdict(check) for check in self.checks],
        }


def _kind(index: int, count: int) -> str:
    return "cold" if index == 0 else "incremental" if index == count - 1 else "step"


def _count(url: str, statement: str, params: dict[str, object]) -> int:
    with psycopg.connect(url) as conn:
        return conn.execute(statement, params).fetchone()[0]


def _pipeline_command() -> list[str]:
    return [str(Path(sys.executable).parent / "cerniq"), "run", "--all-tenants"]


def _subprocess_env(url: str) -> dict[str, str]:
    """The contenders' environment: this database, and this repository importable."""
    path = os.environ.get("PYTHONPATH")
    return {
        "CERNIQ_DATABASE_URL": url,
        "PYTHONPATH": f"{path}{os.pathsep}{REPO_ROOT}" if path else str(REPO_ROOT),
    }


def run_pipeline_sequence(
    url: str, dates: list[dt.date], tenant_ids: list[UUID], server: int | None, options: Options
) -> list[RunRecord]:
    records = []
    previous = None
    for index, as_of in enumerate(dates):
        result = measure.run_measured(
            [*_pipeline_command(), "--as-of", as_of.isoformat()], _subprocess_env(url), server
        )
        record = _record("pipeline", index, len(dates), as_of, previous, result, url, tenant_ids)
        record.profile = profile.pipeline_profile(url, result.stdout, result.seconds)
        records.append(record)
        previous = as_of
        options.log(f"  pipeline as of {as_of}: {result.seconds:.1f} s")
    return records


def run_baseline_sequence(
    url: str,
    dates: list[dt.date],
    tenant_ids: list[UUID],
    server: int | None,
    scale_up: float,
    options: Options,
) -> list[RunRecord]:
    records = []
    previous = None
    for index, as_of in enumerate(dates):
        command = [sys.executable, "-m", "benchmarks.baseline", "--database-url", url]
        command += ["--as-of", as_of.isoformat()]
        if previous:
            command += ["--previous-as-of", previous.isoformat()]
        for tenant_id in tenant_ids:
            command += ["--tenant", str(tenant_id)]
        result = measure.run_measured(command, _subprocess_env(url), server)
        record = _record("baseline", index, len(dates), as_of, previous, result, url, tenant_ids)
        record.queues = _queues(result.stdout)
        if scale_up != 1:
            record.extrapolated_seconds = round(result.seconds * scale_up, 1)
        records.append(record)
        previous = as_of
        options.log(f"  baseline as of {as_of}: {result.seconds:.1f} s")
    return records


def _queues(stdout: str) -> list[dict[str, object]]:
    return json.loads(stdout)["queues"]


def _record(contender, index, count, as_of, previous, result, url, tenant_ids) -> RunRecord:
    rows = _count(url, floor.input_rows_statement(as_of), {"tenants": tenant_ids})
    new_events = None
    if previous is not None:
        new_events = _count(
            url,
            NEW_EVENTS,
            {"tenants": tenant_ids, "since": logical_time(previous), "end": logical_time(as_of)},
        )
    return RunRecord(
        contender=contender,
        as_of=as_of.isoformat(),
        kind=_kind(index, count),
        seconds=round(result.seconds, 2),
        input_rows=rows,
        new_events=new_events,
        peak_rss_mib=result.peak_rss_mib,
        peak_server_mib=result.peak_server_mib,
        dbt_invocations=result.dbt_invocations,
    )


def benchmark_scale(admin_url: str, scale: Scale, options: Options) -> ScaleResult:
    """Generate the scale's data, run every contender on identical copies of it, compare."""
    dates = options.as_of_dates()
    prefix = f"{options.database_prefix}_{scale.name}".lower()
    server = measure.server_pid(admin_url)
    created: list[str] = []
    try:
        if options.source_database:
            source = options.source_database
            data = dataset.existing_dataset(admin_url, source)
            options.log(f"{scale.name}: copying {source} ({data.clients} clients)")
        else:
            options.log(f"{scale.name}: generating {scale.tenants} x {scale.clients_per_tenant}")
            started = time.perf_counter()
            source = f"{prefix}_source"
            created.append(source)
            data = dataset.build_dataset(
                admin_url, source, scale.tenants, scale.clients_per_tenant, options.seed,
                options.generated_as_of, options.analysed_from(dates[0]),
            )  # fmt: skip
            options.log(f"  data ready in {time.perf_counter() - started:.0f} s")
        sample_size = options.baseline_tenants or scale.baseline_tenants or len(data.tenant_ids)
        sample = data.tenant_ids[:sample_size]
        sample_clients = _count(
            data.url,
            "select count(*) from gold_clients where tenant_id = any(%(t)s)",
            {"t": sample},
        )
        urls = {}
        for contender in ("pipeline", "baseline"):
            created.append(f"{prefix}_{contender}")
            urls[contender] = dataset.clone(admin_url, source, created[-1])
        records = run_pipeline_sequence(
            urls["pipeline"], dates, data.tenant_ids, server, options
        )  # fmt: skip
        records += run_baseline_sequence(
            urls["baseline"], dates, sample, server, data.clients / sample_clients, options
        )
        floor_run = measure.measure_sql(data.url, floor.floor_statement(dates[-1]), server)
        records.append(
            RunRecord(
                contender="floor",
                as_of=dates[-1].isoformat(),
                kind="pass",
                seconds=round(floor_run.seconds, 2),
                input_rows=records[len(dates) - 1].input_rows,
                new_events=None,
                peak_rss_mib=None,
                peak_server_mib=floor_run.peak_server_mib,
            )
        )
        options.log(f"  floor: {floor_run.seconds:.2f} s")
        checks = compare.compare(urls["pipeline"], urls["baseline"], sample)
        return ScaleResult(
            scale=scale,
            options={
                "seed": options.seed,
                "generated_as_of": options.generated_as_of.isoformat(),
                "as_of_dates": [date.isoformat() for date in dates],
                "step_days": options.step_days,
            },
            tenants=len(data.tenant_ids),
            clients=data.clients,
            baseline_tenant_ids=[str(tenant_id) for tenant_id in sample],
            baseline_clients=sample_clients,
            build_seconds=data.build_seconds,
            records=records,
            checks=checks,
        )
    finally:
        if not options.keep_databases:
            dataset.drop_databases(admin_url, created)


@dataclass
class SplitResult:
    scale: Scale
    clients: int
    records: list[RunRecord]

    def record(self, contender: str, kind: str) -> RunRecord:
        return next(r for r in self.records if r.contender == contender and r.kind == kind)


def benchmark_tenant_split(admin_url: str, options: Options) -> list[SplitResult]:
    """The pipeline, cold and after one step, on the same clients in few or many tenants."""
    dates = options.as_of_dates(runs=2)
    server = measure.server_pid(admin_url)
    results = []
    for split in TENANT_SPLITS:
        name = f"{options.database_prefix}_split_{split.name}".lower()
        created = [name]
        try:
            options.log(f"split {split.name}: generating")
            data = dataset.build_dataset(
                admin_url, name, split.tenants, split.clients_per_tenant, options.seed,
                options.generated_as_of, options.analysed_from(dates[0]),
            )  # fmt: skip
            records = run_pipeline_sequence(data.url, dates, data.tenant_ids, server, options)
            floor_run = measure.measure_sql(data.url, floor.floor_statement(dates[-1]), server)
            records.append(
                RunRecord("floor", dates[-1].isoformat(), "pass", round(floor_run.seconds, 2),
                          records[-1].input_rows, None, None, floor_run.peak_server_mib)
            )  # fmt: skip
            results.append(SplitResult(split, data.clients, records))
        finally:
            if not options.keep_databases:
                dataset.drop_databases(admin_url, created)
    return results
