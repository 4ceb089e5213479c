"""`python -m benchmarks.geography --clients N --tenants T`: what the geography step (issue 18)
adds to a run, for its "Must show" (at `large`, 1M clients in 100 tenants: at most 60 s more
and under 1 GiB). See benchmarks/README.md, "Benchmark: geography".

1. The pipeline, `cerniq run --all-tenants`, as of G - 7 and G (the first creates the states,
   the second has LOYAL clients and so neighbour suggestions): from each run's event log, the
   seconds of the `geography` step and of the geography dbt models, beside the whole run's.
2. The step's writes alone (`apply_geography` for every tenant, in a fresh process): cold (the
   geography tables emptied: every pair, cluster and suggestion is new) and a rerun of the same
   date (nothing changes), with the process's peak RSS and the server's peak PSS; and the map of
   one tenant.

At a fixed number of clients per tenant (the generator's density of farms per village), pairs,
clusters and suggestions grow with the number of tenants: the figures are scaled by
1M / (T x N) to `large`, and that is printed as such.
"""

import argparse
import datetime as dt
import json
import resource
import sys
import time
import uuid
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path

import psycopg
from tabulate import tabulate

from benchmarks import dataset, measure, profile
from benchmarks.__main__ import RESULTS_DIR, benchmark_server
from benchmarks.run import (
    DEFAULT_GENERATED_AS_OF,
    DEFAULT_SEED,
    Options,
    _pipeline_command,
    _subprocess_env,
)
from dagster_cerniq.defs.geography.geography import apply_geography
from dagster_cerniq.defs.geography.map import geography_map
from dagster_cerniq.lib.run_dates import logical_time
from dagster_cerniq.lib.write_back import RunScope

TARGET_CLIENTS = 1_000_000
MAX_SECONDS = 60.0
MAX_MIB = 1024.0
MIB = 1024 * 1024
# The dbt models of the geography (models/*/geography/).
GEOGRAPHY_MODELS = (
    "int_client_locations",
    "int_geographic_clusters",
    "int_referral_targets",
    "fct_client_neighbors",
    "fct_geographic_clusters",
    "fct_neighbor_referral_suggestions",
)
EMPTY_GEOGRAPHY = (
    "update gold_nurturing_state set neighbor_count = 0, geographic_cluster_id = null",
    "delete from gold_referrals where referral_source = 'GEO_PROXIMITY'",
    "delete from gold_entity_relationships where relation_type = 'NEIGHBOR'",
    "delete from gold_proximity_scores",
    "delete from gold_cluster_members",
    "delete from gold_clusters",
    "vacuum analyze gold_entity_relationships, gold_proximity_scores, gold_cluster_members, "
    "gold_clusters, gold_referrals, gold_nurturing_state",
)
VOLUMES = """
    select
        (select count(*) from gold_entity_relationships
         where relation_type = 'NEIGHBOR' and is_active),
        (select count(*) from gold_clusters where is_active),
        (select count(*) from gold_cluster_members where left_at is null),
        (select count(*) from gold_referrals where referral_source = 'GEO_PROXIMITY')
"""


def pipeline_runs(url: str, dates: list[dt.date], server: int | None, log) -> list[dict]:
    """Each run's whole seconds and peak memory, and the geography's share from its profile."""
    records = []
    for as_of in dates:
        result = measure.run_measured(
            [*_pipeline_command(), "--as-of", as_of.isoformat()], _subprocess_env(url), server
        )
        run_profile = profile.pipeline_profile(url, result.stdout, result.seconds)
        # The geography models and their data tests ("<step> <unique_id>").
        dbt_seconds = sum(
            seconds
            for node, seconds in run_profile["dbt_nodes"].items()
            if any(model in node.split()[-1] for model in GEOGRAPHY_MODELS)
        )
        record = {
            "as_of": as_of.isoformat(),
            "run_seconds": round(result.seconds, 1),
            "run_peak_rss_mib": result.peak_rss_mib,
            "run_peak_server_mib": result.peak_server_mib,
            "geography_step_seconds": run_profile["steps"].get("geography", 0.0),
            "geography_dbt_seconds": round(dbt_seconds, 1),
        }
        log(f"  pipeline as of {as_of}: {record}")
        records.append(record)
    return records


def _timed_writes(url: str, tenant_ids: list[str], as_of: dt.date, empty: bool) -> dict:
    """In a fresh process: apply_geography for every tenant (after emptying the geography tables
    when `empty`), then one tenant's map; seconds and this process's peak RSS."""
    if empty:
        with psycopg.connect(url, autocommit=True) as conn:
            for statement in EMPTY_GEOGRAPHY:
                conn.execute(statement)
    scope = RunScope(sorted(tenant_ids), as_of, logical_time(as_of), uuid.uuid4())
    started = time.perf_counter()
    with psycopg.connect(url) as conn, conn.transaction():
        changed = apply_geography(conn, scope)
    seconds = time.perf_counter() - started
    started = time.perf_counter()
    with psycopg.connect(url) as conn:
        picture = geography_map(conn, scope.tenant_ids[0], "benchmark")
    map_seconds = time.perf_counter() - started
    with psycopg.connect(url) as conn:
        pairs, clusters, members, suggestions = conn.execute(VOLUMES).fetchone()
    return {
        "seconds": round(seconds, 2),
        "rows_changed": sum(changed.values()),
        "map_seconds": round(map_seconds, 2),
        "map_bytes": len(picture),
        "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "neighbor_pairs": pairs,
        "clusters": clusters,
        "clustered_companies": members,
        "suggestions": suggestions,
    }


def step_writes(url: str, tenant_ids: list[str], as_of: dt.date, server: int | None, log):
    results = {}
    for label, empty in (("cold", True), ("rerun", False)):
        watch = measure.server_sampler(server)
        with ProcessPoolExecutor(1, mp_context=get_context("spawn")) as pool:
            result = pool.submit(_timed_writes, url, tenant_ids, as_of, empty).result()
        peak = watch.stop() if watch else None
        result["peak_server_mib"] = round(peak / MIB, 1) if peak else None
        log(f"  geography writes, {label}: {result}")
        results[label] = result
    return results


def report(tenants: int, clients: int, runs: list[dict], writes: dict) -> str:
    scale = TARGET_CLIENTS / (tenants * clients)
    rows = [
        [
            f"pipeline as of {r['as_of']}",
            r["run_seconds"],
            r["geography_dbt_seconds"],
            r["geography_step_seconds"],
            r["run_peak_rss_mib"],
            r["run_peak_server_mib"],
        ]
        for r in runs
    ]
    table = tabulate(
        rows,
        headers=["", "run s", "geography dbt s", "geography step s", "run peak RSS MiB",
                 "server peak MiB"],
    )  # fmt: skip
    write_rows = [
        [label, w["seconds"], w["rows_changed"], w["neighbor_pairs"], w["clusters"],
         w["suggestions"], w["map_seconds"], w["peak_rss_mib"], w["peak_server_mib"]]
        for label, w in writes.items()
    ]  # fmt: skip
    writes_table = tabulate(
        write_rows,
        headers=["step's writes", "s", "rows changed", "pairs", "clusters", "suggestions",
                 "map s", "peak RSS MiB", "server peak MiB"],
    )  # fmt: skip
    last = runs[-1]
    added = last["geography_dbt_seconds"] + last["geography_step_seconds"]
    cold = writes["cold"]["seconds"] + runs[-1]["geography_dbt_seconds"]
    lines = [
        f"Geography: {tenants} tenants x {clients:,} clients",
        table,
        "",
        writes_table,
        "",
        f"Added to the daily run (geography dbt + step, last run): {added:.1f} s measured; "
        f"x {scale:g} -> {added * scale:.0f} s at large (target <= {MAX_SECONDS:.0f} s)",
        f"First load (geography dbt + cold writes): {cold:.1f} s measured; x {scale:g} -> "
        f"{cold * scale:.0f} s at large",
        f"Python memory of the step (peak RSS, map included): "
        f"{max(w['peak_rss_mib'] for w in writes.values()):.0f} MiB; it does not grow with the "
        f"data (the work is SQL; the map reads one tenant) (target < {MAX_MIB:.0f} MiB)",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.geography")
    parser.add_argument("--clients", type=int, default=10_000, help="clients per tenant")
    parser.add_argument("--tenants", type=int, default=10)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--generated-as-of", type=dt.date.fromisoformat,
                        default=DEFAULT_GENERATED_AS_OF)  # fmt: skip
    parser.add_argument("--admin-url")
    parser.add_argument("--json", type=Path)
    parser.add_argument("--keep-database", action="store_true")
    args = parser.parse_args(argv)

    def log(line: str) -> None:
        print(line, file=sys.stderr, flush=True)

    options = Options(seed=args.seed, generated_as_of=args.generated_as_of, runs=2)
    dates = options.as_of_dates()
    name = f"benchmark_geography_{args.tenants}x{args.clients}"
    with benchmark_server(args.admin_url) as admin_url:
        try:
            log(f"generating {args.tenants} x {args.clients:,} clients ...")
            data = dataset.build_dataset(
                admin_url, name, args.tenants, args.clients, args.seed, args.generated_as_of,
                options.analysed_from(dates[0]),
            )  # fmt: skip
            server = measure.server_pid(data.url)
            runs = pipeline_runs(data.url, dates, server, log)
            tenant_ids = [str(t) for t in data.tenant_ids]
            writes = step_writes(data.url, tenant_ids, dates[-1], server, log)
        finally:
            if not args.keep_database:
                dataset.drop_databases(admin_url, [name])
    text = report(args.tenants, args.clients, runs, writes)
    print(text)
    path = args.json or RESULTS_DIR / f"geography-{args.tenants}x{args.clients}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        json.dumps(
            {"tenants": args.tenants, "clients_per_tenant": args.clients, "runs": runs,
             "writes": writes},
            indent=2,
        )
    )  # fmt: skip


if __name__ == "__main__":
    main()
