"""`python -m benchmarks --scale small|large|tenant-split [--json PATH]`: the benchmark of
issue 7. See benchmarks/README.md."""

import argparse
import datetime as dt
import json
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from benchmarks import report
from benchmarks.run import REPO_ROOT, SCALES, Options, benchmark_scale, benchmark_tenant_split
from dagster_cerniq.ops.database import DATABASE_URL_ENV, validate_url, with_database
from dagster_cerniq.ops.embedded import EmbeddedPostgres

BENCH_PORT = 54349
BENCH_HOME = REPO_ROOT / ".cerniq" / "bench"
RESULTS_DIR = REPO_ROOT / "benchmarks" / "results"


@contextmanager
def benchmark_server(admin_url: str | None) -> Iterator[str]:
    """The server to create the benchmark's databases on: `--admin-url`, else the server of
    CERNIQ_DATABASE_URL, else an embedded one started here (non-durable, like the tests')."""
    if admin_url:
        yield validate_url(admin_url, "--admin-url")
        return
    if os.environ.get(DATABASE_URL_ENV):
        url = validate_url(os.environ[DATABASE_URL_ENV], DATABASE_URL_ENV)
        yield with_database(url, "postgres")
        return
    server = EmbeddedPostgres(home=BENCH_HOME, port=BENCH_PORT, database="postgres",
                              fast_unsafe=True)  # fmt: skip
    started_here = not server.is_running()
    url = server.start()
    try:
        yield url
    finally:
        if started_here:
            server.stop()


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--scale", choices=[*SCALES, "tenant-split"], required=True)
    parser.add_argument(
        "--json", type=Path, help="where to write the results (benchmarks/results/<scale>.json)"
    )
    parser.add_argument(
        "--admin-url",
        help="a role that may create databases on the server to use "
        "(default: CERNIQ_DATABASE_URL's server, else an embedded one)",
    )
    parser.add_argument(
        "--baseline-tenants",
        type=int,
        help="run the baseline on this many tenants and extrapolate its time",
    )
    parser.add_argument("--runs", type=int, default=4, help="as-of dates per contender (>= 2)")
    parser.add_argument("--step-days", type=int, default=7, help="days between the as-of dates")
    parser.add_argument("--seed", type=int, default=Options.seed)
    parser.add_argument(
        "--generated-as-of",
        type=dt.date.fromisoformat,
        default=Options.generated_as_of,
        help="last day of the generated data",
    )
    parser.add_argument("--keep-databases", action="store_true")
    parser.add_argument(
        "--source-database",
        help="copy this dataset (kept by an earlier run with the same --seed and dates) "
        "instead of generating one",
    )
    args = parser.parse_args()
    if args.runs < 2:
        parser.error("--runs must be at least 2 (a cold run and an incremental one)")
    options = Options(
        seed=args.seed,
        generated_as_of=args.generated_as_of,
        runs=args.runs,
        step_days=args.step_days,
        baseline_tenants=args.baseline_tenants,
        keep_databases=args.keep_databases,
        source_database=args.source_database,
    )
    command = "python -m benchmarks " + " ".join(sys.argv[1:])
    path = args.json or RESULTS_DIR / f"{args.scale}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    with benchmark_server(args.admin_url) as admin_url:
        if args.scale == "tenant-split":
            splits = benchmark_tenant_split(admin_url, options)
            payload, render, consistent = report.split_json(splits), report.split_report, True
            measured = splits
        else:
            measured = benchmark_scale(admin_url, SCALES[args.scale], options)
            payload, render = report.scale_json(measured), report.scale_report
            consistent = all(check.matches for check in measured.checks if check.strict)
    # The measurements are kept first: they took long, the report is only their rendering.
    path.write_text(json.dumps({"command": command, **payload}, indent=2, default=str))
    text = render(measured)
    path.write_text(json.dumps({"command": command, "report": text, **payload}, indent=2,
                               default=str))  # fmt: skip
    print(f"$ {command}\n\n{text}\n\nresults written to {path}")
    if not consistent:
        sys.exit("pipeline and baseline do not end in the same states, scores and signals")


if __name__ == "__main__":
    main()
