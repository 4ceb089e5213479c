"""`cerniq run`: the whole asset graph for some tenants, through the same Dagster definitions
the UI and the schedules use.

What the terminal gets: a progress bar per run (one tick per step, on stderr when it is a
terminal) and, when a run fails, one line naming the failed step, the reason and the run's log
file. Everything else the run prints (Dagster's log at INFO, dbt's progress, tracebacks) goes
to that file, `<cerniq home>/logs/run-<run id>.log`, and to the run's log in the Dagster UI.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import shutil
import socket
import sys
import threading
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO
from uuid import UUID

from dagster_cerniq.defs.automation.jobs import nurturing_job
from dagster_cerniq.defs.automation.partitions import partition_ranges, run_tags, tenant_partitions
from dagster_cerniq.defs.automation.sensors import TENANTS_IN_ORDER
from dagster_cerniq.defs.dbt.project import DBT_PROJECT_DIR, DBT_VARS_TAG, ensure_manifest
from dagster_cerniq.lib.run_dates import (
    REPLAY_TAG,
    latest_evaluation,
    refuse_before_latest,
    refuse_future,
)
from dagster_cerniq.ops.database import DATABASE_URL_ENV, connect, first_line
from dagster_cerniq.ops.embedded import EmbeddedPostgres
from dagster_cerniq.ops.errors import CerniqError
from dagster_cerniq.ops.instance import cerniq_instance

# The run's log file gets Dagster's INFO events (the UI has them all); the terminal none.
RUN_LOG_CONFIG = {"loggers": {"console": {"config": {"log_level": "INFO"}}}}
LOG_DIR_ENV = "CERNIQ_LOG_DIR"
# Which process runs a `cerniq run` run: a later `cerniq run` fails it when that process is gone.
PID_TAG = "cerniq/pid"
PID_STARTED_TAG = "cerniq/pid_started"
HOST_TAG = "cerniq/host"
REPLAY_REWRITES = (
    "lifecycle states and their transitions, churn signals (those not active as of that date "
    "are resolved), churn scores, HITL tasks (SLA clocks, escalations, closures) and the "
    "onboarding, NPS and referral follow-ups, all as of that date; messages that date calls "
    "for are queued in cerniq_outbox"
)


@dataclass(frozen=True)
class PipelineRun:
    run_id: str
    first_tenant: str
    last_tenant: str
    tenants: int
    success: bool
    log_file: Path | None = None
    error: str | None = None
    # Failed asset checks of a run that succeeded (the sentiment API unreachable …): one line each.
    warnings: tuple[str, ...] = ()


def log_dir() -> Path:
    configured = os.environ.get(LOG_DIR_ENV, "").strip()
    folder = Path(configured) if configured else EmbeddedPostgres.default().home / "logs"
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return folder


def run_pipeline(
    database_url: str,
    tenant_ids: list[UUID] | None,
    as_of: dt.date,
    replay: bool = False,
    say: Callable[[str], None] = lambda _line: None,
    dbt_overrides: dict[str, object] | None = None,
) -> list[PipelineRun]:
    """Materialize every asset for these tenants (None: all) as of a date.

    One Dagster run per contiguous range of tenant partitions: all tenants, or one, is one run.
    Refuses a date after today, and one before the tenants' latest evaluation unless `replay`.
    """
    refuse_future(as_of)
    with connect(database_url) as conn:
        in_table = [tenant_id for (tenant_id,) in conn.execute(TENANTS_IN_ORDER.compose())]
    wanted = set(in_table) if tenant_ids is None else {str(t) for t in tenant_ids}
    missing = sorted(wanted - set(in_table))
    if missing:
        raise CerniqError(f"no tenant with id {missing[0]}" + (
            f" (and {len(missing) - 1} more)" if len(missing) > 1 else ""))  # fmt: skip
    if not wanted:
        raise CerniqError("there are no tenants: run `cerniq generate` or load the app's data")

    instance = cerniq_instance(database_url)
    for run_id in fail_dead_runs(instance):
        say(f"run {run_id} was left STARTED by a cerniq process that is gone: marked FAILED")
    if replay:
        later = latest_evaluation(instance, wanted, as_of)
        since = f", evaluated up to {later.as_of.isoformat()}" if later else ""
        say(
            f"replay as of {as_of.isoformat()} for {len(wanted)} tenant(s){since}: rewrites "
            f"their {REPLAY_REWRITES}"
        )
    else:
        refuse_before_latest(instance, wanted, as_of)

    ensure_manifest()
    from dagster_cerniq.definitions import defs

    known = set(instance.get_dynamic_partitions(tenant_partitions.name))
    new_keys = [tenant_id for tenant_id in in_table if tenant_id not in known]
    if new_keys:
        instance.add_dynamic_partitions(tenant_partitions.name, new_keys)
    keys = instance.get_dynamic_partitions(tenant_partitions.name)

    job = defs.resolve_job_def(nurturing_job.name)
    runs = []
    # The steps' database resource reads its URL from the environment when the run starts:
    # this one, which need not be the environment's (a backtest replays in a scratch database).
    with _database_environment(database_url):
        for start, end in partition_ranges(keys, wanted):
            tags = {**run_tags(start, end, as_of.isoformat()), **process_tags()}
            if replay:
                tags[REPLAY_TAG] = "true"
            if dbt_overrides:
                tags[DBT_VARS_TAG] = json.dumps(dbt_overrides, sort_keys=True)
            covered = keys[keys.index(start) : keys.index(end) + 1]
            runs.append(_execute(instance, job, tags, start, end, len(covered)))
    return runs


@contextlib.contextmanager
def _database_environment(database_url: str) -> Iterator[None]:
    saved = os.environ.get(DATABASE_URL_ENV)
    os.environ[DATABASE_URL_ENV] = database_url
    try:
        yield
    finally:
        if saved is None:
            os.environ.pop(DATABASE_URL_ENV, None)
        else:
            os.environ[DATABASE_URL_ENV] = saved


def _execute(instance, job, tags: dict[str, str], start: str, end: str, tenants: int):
    from dagster._core.utils import make_new_run_id

    run_id = make_new_run_id()
    log_file = log_dir() / f"run-{run_id}.log"
    steps = [node.name for node in job.graph.nodes]
    error = None
    warnings: tuple[str, ...] = ()
    with _output_to(log_file) as terminal, _progress(instance, run_id, steps, terminal):
        try:
            result = job.execute_in_process(
                instance=instance,
                run_id=run_id,
                tags=tags,
                run_config=RUN_LOG_CONFIG,
                raise_on_error=False,
            )
            success = result.success
            if not success:
                error = _failure(result.all_events)
            warnings = _failed_checks(result.get_asset_check_evaluations())
        except Exception as exc:  # the storage lost mid-run, an interrupted run …
            traceback.print_exc()
            success = False
            error = _describe(exc)
    if error:
        error = f"run {run_id} failed: {error} (log: {log_file})"
    return PipelineRun(run_id, start, end, tenants, success, log_file, error, warnings)


def _failed_checks(evaluations) -> tuple[str, ...]:
    """One line per failed check: the sentiment check names the outage and the pending work."""
    lines = []
    for evaluation in evaluations:
        if evaluation.passed:
            continue
        metadata = {key: value.value for key, value in evaluation.metadata.items()}
        if evaluation.check_name == "sentiment_api_reachable":
            lines.append(
                f"sentiment degraded: {metadata.get('api_unreachable') or 'API unreachable'}; "
                f"{metadata.get('messages_left_pending', 0)} message(s) left pending for the "
                "next run"
            )
        else:
            lines.append(f"check {evaluation.check_name} of {evaluation.asset_key.to_user_string()}"
                         " failed")  # fmt: skip
    return tuple(lines)


def process_tags() -> dict[str, str]:
    import psutil

    process = psutil.Process()
    return {
        PID_TAG: str(process.pid),
        PID_STARTED_TAG: f"{process.create_time():.2f}",
        HOST_TAG: socket.gethostname(),
    }


def fail_dead_runs(instance) -> list[str]:
    """Mark failed the runs of `cerniq run` on this host still STARTING or STARTED whose
    process is gone (killed), and remove the dbt target folders they left; their ids."""
    import psutil
    from dagster import DagsterRunStatus, RunsFilter

    in_progress = [
        DagsterRunStatus.STARTED,
        DagsterRunStatus.STARTING,
        DagsterRunStatus.NOT_STARTED,
    ]
    records = instance.get_run_records(
        RunsFilter(statuses=in_progress, tags={HOST_TAG: socket.gethostname()})
    )
    failed = []
    for record in records:
        run = record.dagster_run
        pid, started = run.tags.get(PID_TAG, ""), run.tags.get(PID_STARTED_TAG, "")
        if not pid.isdigit():
            continue
        try:
            alive = abs(psutil.Process(int(pid)).create_time() - float(started or 0)) < 1
        except (psutil.Error, ValueError):
            alive = False
        if alive:
            continue
        instance.report_run_failed(
            run, message=f"the cerniq run process {pid} is gone (killed?): marked failed"
        )
        _remove_target_folders(run.run_id)
        failed.append(run.run_id)
    return failed


def _remove_target_folders(run_id: str) -> None:
    """dagster-dbt's per-invocation folders of that run (`<step>-<run id[:7]>-<uuid[:7]>`)."""
    for folder in (DBT_PROJECT_DIR / "target").glob(f"*-{run_id[:7]}-*"):
        if folder.is_dir():
            shutil.rmtree(folder, ignore_errors=True)


def _failure(events) -> str:
    """The failed step and the innermost cause of its error, on one line."""
    for event in events:
        if event.is_step_failure:
            error = event.step_failure_data.error
            return f"step {event.step_key}: {_error_line(error)}"
    for event in events:
        if event.is_failure and getattr(event, "event_specific_data", None) is not None:
            error = getattr(event.event_specific_data, "error", None)
            if error is not None:
                return _error_line(error)
            return event.message or "the run failed"
    return "the run failed"


def _error_line(error) -> str:
    while error.cause is not None:
        error = error.cause
    cls_name = error.cls_name or ""
    text = error.message.strip()
    prefix = f"{cls_name}: "
    if cls_name and prefix in text:
        text = text.split(prefix, 1)[1]
    line = text.splitlines()[0] if text else cls_name
    if cls_name == "CerniqError":
        return line
    if cls_name in ("OperationalError", "InterfaceError", "AdminShutdown") or "connection" in line:
        return f"lost the database: {line}"
    return f"{cls_name}: {line}" if cls_name else line


def _describe(exc: BaseException) -> str:
    root = exc
    while root.__cause__ is not None or root.__context__ is not None:
        root = root.__cause__ or root.__context__
    if isinstance(exc, CerniqError):
        return str(exc)
    name = type(root).__name__
    module = type(root).__module__
    line = first_line(root)
    if module.startswith(("sqlalchemy", "psycopg")) or "connection" in line.lower():
        return f"lost the database: {line}"
    return f"{name}: {line}"


@contextlib.contextmanager
def _output_to(log_file: Path) -> Iterator[TextIO]:
    """Everything written to stdout and stderr (this process's and its children's: dbt, the
    Dagster console log) goes to `log_file`; yields a stream on the real stderr."""
    sys.stdout.flush()
    sys.stderr.flush()
    saved = {fd: os.dup(fd) for fd in (1, 2)}
    terminal = os.fdopen(os.dup(saved[2]), "w", buffering=1)
    fd = os.open(log_file, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    try:
        os.dup2(fd, 1)
        os.dup2(fd, 2)
        yield terminal
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        for target, copy in saved.items():
            os.dup2(copy, target)
            os.close(copy)
        os.close(fd)
        terminal.close()


@contextlib.contextmanager
def _progress(instance, run_id: str, steps: list[str], terminal: TextIO) -> Iterator[None]:
    """A bar over the run's steps, advanced from the run's step records every second."""
    from tqdm import tqdm

    bar = tqdm(
        total=len(steps),
        desc=f"run {run_id[:8]}",
        unit="step",
        file=terminal,
        disable=None,  # None: only on a terminal
        leave=True,
    )
    if bar.disable:
        yield
        bar.close()
        return
    stop = threading.Event()

    def poll() -> None:
        while not stop.wait(1.0):
            try:
                stats = instance.get_run_step_stats(run_id)
            except Exception:  # the bar must never fail the run
                continue
            running = [s.step_key for s in stats if s.end_time is None]
            bar.n = _finished(stats)
            bar.set_postfix_str(", ".join(running)[:60], refresh=False)
            bar.refresh()

    thread = threading.Thread(target=poll, daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(timeout=5)
        try:
            bar.n = _finished(instance.get_run_step_stats(run_id))
            bar.set_postfix_str("", refresh=False)
        except Exception:
            pass
        bar.close()


def _finished(step_stats) -> int:
    return sum(stat.end_time is not None for stat in step_stats)
