"""`python -m benchmarks.event_load`: the event path under load (issue 16).

A kept dataset (generated as of today, one full run done), the Dagster daemon (`cerniq ui`),
then an injector that records one completed order or inbound message every 60/rate seconds for
the given minutes, alternating, each for a random client of a random tenant. Meanwhile, every
few seconds: the evaluation runs waiting and running (in all, and the most for any one tenant),
and which events have taken effect — a message when its analysis exists, an order when its
client's state shows it as `last_order_at`. After the injection, a drain (no new events) until
every event took effect or the drain time is up.

Prints and writes (`benchmarks/results/event_load.json` and `.png`): queue depth over time,
runs requested and finished per minute, event-to-effect latency (p50 / p95 / max, per kind),
events never processed. The latency's resolution is the sampling interval.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import psycopg
from dagster import DagsterRunStatus, RunsFilter

from benchmarks.__main__ import RESULTS_DIR, benchmark_server
from benchmarks.dataset import build_dataset, clone, drop_databases, existing_dataset
from benchmarks.run import DEFAULT_SEED, Options, _subprocess_env
from dagster_cerniq.defs.automation.jobs import nurturing_job
from dagster_cerniq.defs.automation.partitions import tenant_partitions, tenants_of_run
from dagster_cerniq.lib.run_dates import today
from dagster_cerniq.ops.instance import DAGSTER_HOME_ENV, cerniq_instance

SAMPLE_SECONDS = 5.0
WAITING = [DagsterRunStatus.QUEUED, DagsterRunStatus.NOT_STARTED]
RUNNING = [DagsterRunStatus.STARTING, DagsterRunStatus.STARTED]
FINISHED = [DagsterRunStatus.SUCCESS, DagsterRunStatus.FAILURE, DagsterRunStatus.CANCELED]

# Plain client messages: the load, not the analyzer, is under test here.
MESSAGES = (
    "Bună ziua, când ajunge comanda de îngrășăminte?",
    "Mulțumim, livrarea a fost la timp.",
    "Prețul la sămânță a crescut prea mult anul acesta.",
    "Vă rog să ne trimiteți factura pentru ultima comandă.",
    "Suntem nemulțumiți, erbicidul nu a funcționat.",
)


@dataclass
class Event:
    kind: str  # order or message
    id: str
    tenant_id: str
    client_id: str
    injected_at: float  # epoch seconds
    effect_at: float | None = None

    @property
    def latency(self) -> float | None:
        return None if self.effect_at is None else self.effect_at - self.injected_at


@dataclass
class Sample:
    at: float
    waiting: int
    running: int
    most_for_one_tenant: int  # waiting + running runs covering the busiest tenant
    effected: int
    injected: int


@dataclass
class LoadResult:
    tenants: int
    clients_per_tenant: int
    rate_per_minute: float
    minutes: float
    initial_run_seconds: float
    events: list[Event] = field(default_factory=list)
    samples: list[Sample] = field(default_factory=list)
    runs: list[dict[str, object]] = field(default_factory=list)

    def summary(self) -> dict[str, object]:
        def percentiles(values: list[float]) -> dict[str, float | None]:
            if not values:
                return {"p50": None, "p95": None, "max": None}
            ordered = sorted(values)
            pick = lambda q: round(ordered[min(len(ordered) - 1, int(q * len(ordered)))], 1)  # noqa: E731
            return {"p50": pick(0.5), "p95": pick(0.95), "max": round(ordered[-1], 1)}

        latencies = {
            kind: [e.latency for e in self.events if e.kind == kind and e.latency is not None]
            for kind in ("order", "message")
        }
        started = self.samples[0].at if self.samples else 0
        requested = [r["created"] - started for r in self.runs]
        finished = [r["ended"] - started for r in self.runs if r["ended"]]
        minutes = int((self.samples[-1].at - started) // 60) + 1 if self.samples else 0
        return {
            "events": len(self.events),
            "never_processed": sum(e.effect_at is None for e in self.events),
            "latency_seconds": {
                "all": percentiles(latencies["order"] + latencies["message"]),
                **{kind: percentiles(values) for kind, values in latencies.items()},
            },
            "max_waiting": max((s.waiting for s in self.samples), default=0),
            "max_running": max((s.running for s in self.samples), default=0),
            "max_runs_for_one_tenant": max(
                (s.most_for_one_tenant for s in self.samples), default=0
            ),
            "runs_requested_per_minute": per_minute(requested, minutes),
            "runs_finished_per_minute": per_minute(finished, minutes),
            "run_seconds": percentiles(
                [r["ended"] - r["started"] for r in self.runs if r["ended"] and r["started"]]
            ),
        }


def per_minute(offsets: list[float], minutes: int) -> list[int]:
    counts = [0] * minutes
    for offset in offsets:
        if 0 <= offset < minutes * 60:
            counts[int(offset // 60)] += 1
    return counts


def inject(conn: psycopg.Connection, kind: str, clients: list[tuple[str, str]]) -> Event:
    tenant_id, client_id = random.choice(clients)
    if kind == "order":
        (event_id,) = conn.execute(
            "insert into gold_orders (tenant_id, client_id, status, total_value, ordered_at, "
            "delivered_at) values (%s, %s, 'DELIVERED', %s, now() - interval '2 days', now()) "
            "returning id::text",
            (tenant_id, client_id, random.randint(500, 20_000)),
        ).fetchone()
    else:
        (event_id,) = conn.execute(
            "insert into gold_client_messages (tenant_id, client_id, direction, channel, body, "
            "sent_at) values (%s, %s, 'INBOUND', 'EMAIL', %s, now()) returning id::text",
            (tenant_id, client_id, random.choice(MESSAGES)),
        ).fetchone()
    conn.commit()
    return Event(kind, event_id, tenant_id, client_id, time.time())


EFFECTED_ORDERS = """
select o.id::text from gold_orders o
join gold_nurturing_state s on s.tenant_id = o.tenant_id and s.client_id = o.client_id
where o.id = any(%(ids)s::uuid[]) and s.last_order_at >= o.delivered_at
"""
EFFECTED_MESSAGES = """
select source_id::text from gold_sentiment_analysis where source_id = any(%(ids)s::uuid[])
"""


def mark_effects(conn: psycopg.Connection, events: list[Event]) -> None:
    now = time.time()
    for kind, statement in (("order", EFFECTED_ORDERS), ("message", EFFECTED_MESSAGES)):
        open_ids = [e.id for e in events if e.kind == kind and e.effect_at is None]
        if not open_ids:
            continue
        done = {row[0] for row in conn.execute(statement, {"ids": open_ids})}
        for event in events:
            if event.id in done:
                event.effect_at = now
    conn.commit()


def sample(instance, events: list[Event], at: float) -> Sample:
    keys = instance.get_dynamic_partitions(tenant_partitions.name)
    waiting = instance.get_runs(RunsFilter(job_name=nurturing_job.name, statuses=WAITING))
    running = instance.get_runs(RunsFilter(job_name=nurturing_job.name, statuses=RUNNING))
    per_tenant: dict[str, int] = {}
    for run in [*waiting, *running]:
        for tenant in tenants_of_run(run.tags, keys):
            per_tenant[tenant] = per_tenant.get(tenant, 0) + 1
    return Sample(
        at=at,
        waiting=len(waiting),
        running=len(running),
        most_for_one_tenant=max(per_tenant.values(), default=0),
        effected=sum(e.effect_at is not None for e in events),
        injected=len(events),
    )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_daemon(url: str, home: Path) -> subprocess.Popen:
    """`cerniq ui` (webserver and daemon) over the database, in its own process group, offline
    sentiment (no API key), its output in the Dagster home."""
    env = {**os.environ, **_subprocess_env(url), DAGSTER_HOME_ENV: str(home)}
    env.pop("ANTHROPIC_API_KEY", None)
    log = (home / "ui.log").open("w")
    command = [str(Path(sys.executable).parent / "cerniq"), "ui", "--port", str(free_port())]
    return subprocess.Popen(
        command, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )


def stop_daemon(process: subprocess.Popen) -> None:
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=60)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def run_records(instance, since: float) -> list[dict[str, object]]:
    records = instance.get_run_records(RunsFilter(job_name=nurturing_job.name))
    keys = instance.get_dynamic_partitions(tenant_partitions.name)
    return [
        {
            "run_id": r.dagster_run.run_id,
            "status": r.dagster_run.status.value,
            "created": r.create_timestamp.timestamp(),
            "started": r.start_time,
            "ended": r.end_time,
            "tenants": len(tenants_of_run(r.dagster_run.tags, keys)),
        }
        for r in records
        if r.create_timestamp.timestamp() >= since
    ]


def picture(result: LoadResult, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    start = result.samples[0].at
    fig, (queue, latency) = plt.subplots(2, 1, figsize=(10, 7), sharex=True)
    minutes = [(s.at - start) / 60 for s in result.samples]
    queue.step(minutes, [s.waiting for s in result.samples], where="post", label="waiting")
    queue.step(minutes, [s.running for s in result.samples], where="post", label="running")
    queue.step(
        minutes,
        [s.most_for_one_tenant for s in result.samples],
        where="post",
        label="runs covering the busiest tenant",
        linestyle=":",
    )
    queue.set_ylabel("evaluation runs")
    queue.legend(loc="upper left")
    queue.set_title(
        f"{result.tenants} tenants x {result.clients_per_tenant} clients, "
        f"{result.rate_per_minute:g} events/min for {result.minutes:g} min"
    )
    for kind, marker in (("order", "o"), ("message", "x")):
        done = [e for e in result.events if e.kind == kind and e.latency is not None]
        latency.scatter(
            [(e.injected_at - start) / 60 for e in done],
            [e.latency / 60 for e in done],
            marker=marker,
            s=12,
            label=kind,
        )
    latency.axhline(3, color="red", linewidth=0.8, label="3 min target (p95)")
    latency.set_xlabel("minutes since the injection started")
    latency.set_ylabel("event to effect (min)")
    latency.legend(loc="upper left")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def main() -> None:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.event_load",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--tenants", type=int, default=20)
    parser.add_argument("--clients-per-tenant", type=int, default=2_000)
    parser.add_argument("--rate", type=float, default=30.0, help="events per minute")
    parser.add_argument("--minutes", type=float, default=15.0, help="injection time")
    parser.add_argument("--drain-minutes", type=float, default=10.0)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--admin-url", help="a role that may create databases (default: embedded)")
    parser.add_argument("--json", type=Path, default=RESULTS_DIR / "event_load.json")
    args = parser.parse_args()
    # Stopped with SIGTERM, it still stops the daemon it started (the `finally` below).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    random.seed(args.seed)
    log = lambda line: print(line, file=sys.stderr, flush=True)  # noqa: E731
    as_of = today()
    # Generated up to yesterday: the generator fills its last day to the end, and rows dated
    # later than now would be events only once their time comes.
    generated_as_of = as_of - dt.timedelta(days=1)
    source = (
        f"benchmark_event_load_source_{args.tenants}x{args.clients_per_tenant}"
        f"_{generated_as_of:%Y%m%d}"
    )
    with benchmark_server(args.admin_url) as admin_url:
        with psycopg.connect(admin_url) as conn:
            kept = conn.execute(
                "select 1 from pg_database where datname = %s", (source,)
            ).fetchone()
        if kept:
            log(f"copying the kept dataset {source}")
            dataset = existing_dataset(admin_url, source)
        else:
            log(
                f"generating {args.tenants} x {args.clients_per_tenant} clients as of "
                f"{generated_as_of} (kept as {source})"
            )
            dataset = build_dataset(
                admin_url,
                source,
                args.tenants,
                args.clients_per_tenant,
                args.seed,
                generated_as_of,
                Options().analysed_from(as_of),
            )
        # A fresh copy, and a fresh Dagster storage: an earlier run's sensor cursor would stay.
        drop_databases(admin_url, ["benchmark_event_load"])
        url = clone(admin_url, source, "benchmark_event_load")
        log(f"{dataset.clients} clients; a full run as of {as_of}")
        started = time.perf_counter()
        subprocess.run(
            [
                str(Path(sys.executable).parent / "cerniq"),
                "run",
                "--all-tenants",
                "--as-of",
                as_of.isoformat(),
            ],
            env={**os.environ, **_subprocess_env(url)},
            check=True,
            capture_output=True,
        )
        result = LoadResult(
            args.tenants,
            args.clients_per_tenant,
            args.rate,
            args.minutes,
            round(time.perf_counter() - started, 1),
        )
        log(f"full run: {result.initial_run_seconds} s; starting the daemon")
        with psycopg.connect(url) as conn:
            clients = [
                (str(t), str(c))
                for t, c in conn.execute("select tenant_id, client_id from gold_nurturing_state")
            ]
        home = Path(tempfile.mkdtemp(prefix="cerniq-event-load-"))
        daemon = start_daemon(url, home)
        instance = cerniq_instance(url)
        try:
            time.sleep(30)  # the daemon's first sensor ticks: nothing to run after a full run
            began = time.time()
            interval = 60.0 / args.rate
            next_event, next_sample = began, began
            end_injection = began + args.minutes * 60
            deadline = end_injection + args.drain_minutes * 60
            with psycopg.connect(url) as conn:
                while True:
                    now = time.time()
                    if now < end_injection and now >= next_event:
                        kind = ("order", "message")[len(result.events) % 2]
                        result.events.append(inject(conn, kind, clients))
                        next_event += interval
                    if now >= next_sample:
                        mark_effects(conn, result.events)
                        result.samples.append(sample(instance, result.events, now))
                        last = result.samples[-1]
                        log(
                            f"{(now - began) / 60:5.1f} min: {last.injected} injected, "
                            f"{last.effected} effected, {last.waiting} waiting, "
                            f"{last.running} running"
                        )
                        next_sample += SAMPLE_SECONDS
                        drained = now >= end_injection and last.effected == last.injected
                        if (drained and last.waiting + last.running == 0) or now >= deadline:
                            break
                    time.sleep(max(0.0, min(next_event, next_sample) - time.time()))
            result.runs = run_records(instance, began - 60)
        finally:
            stop_daemon(daemon)
        summary = result.summary()
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps({"summary": summary, **asdict(result)}, indent=1))
        png = args.json.with_suffix(".png")
        picture(result, png)
        print(json.dumps(summary, indent=1))
        print(f"results: {args.json}\npicture: {png}\ndaemon log: {home / 'ui.log'}")


if __name__ == "__main__":
    main()
