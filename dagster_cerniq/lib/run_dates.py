"""The as-of date of a run and its logical time (SPEC §2), and the guard on it.

A write-back run writes states, signals, tasks and messages as of its date, so the date is
checked where every run passes (every step's run scope, `lib.write_back.run_scope`, whether the
run came from `cerniq run`, the UI, a sensor or a schedule; `cerniq run` also checks first):

- never after today in Bucharest (a future date marks every client CRITICAL, opens escalation
  tasks and queues real surveys);
- never before the latest date its tenants were evaluated as of, unless the run carries the tag
  `cerniq/replay=true` (`cerniq run --replay`): an earlier date would resolve the signals and
  close the tasks the later run opened.

"Latest evaluated" is read from the Dagster run storage: the `cerniq/as_of` tag (or, untagged,
the creation day) of every run of the tenants that completed at least one step — the one record
every write-back run leaves, whatever it changed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from dagster_cerniq.ops.errors import CerniqError

if TYPE_CHECKING:
    from dagster import DagsterInstance

AS_OF_TAG = "cerniq/as_of"
REPLAY_TAG = "cerniq/replay"
BUSINESS_TIMEZONE = ZoneInfo("Europe/Bucharest")
# Materializations launched from the asset graph rather than a job.
_AD_HOC_ASSET_JOB = "__ASSET_JOB"


def today() -> dt.date:
    """Today in Romania, the default as-of date."""
    return dt.datetime.now(BUSINESS_TIMEZONE).date()


def parse_as_of(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CerniqError(f"the as-of date must be YYYY-MM-DD, got {value!r}") from None


def is_replay(tags: Mapping[str, str]) -> bool:
    return tags.get(REPLAY_TAG, "").lower() == "true"


def as_of_from_tags(tags: Mapping[str, str]) -> dt.date:
    """The run's as-of date: its `cerniq/as_of` tag, else today; refused (CerniqError) when it
    is after today."""
    value = tags.get(AS_OF_TAG)
    as_of = parse_as_of(value) if value else today()
    refuse_future(as_of)
    return as_of


def refuse_future(as_of: dt.date) -> None:
    current = today()
    if as_of > current:
        raise CerniqError(
            f"the as-of date {as_of.isoformat()} is after today ({current.isoformat()}, "
            f"{BUSINESS_TIMEZONE.key}): a run writes states, tasks and messages as of its date, "
            "so it may not run in the future"
        )


@dataclass(frozen=True)
class Evaluation:
    """A run that evaluated some of the tenants asked for, as of a later date."""

    as_of: dt.date
    run_id: str
    tenant: str


def latest_evaluation(
    instance: DagsterInstance,
    tenants: Iterable[str] | None,
    after: dt.date,
    exclude_run_id: str | None = None,
) -> Evaluation | None:
    """The run with the latest as-of date after `after` that evaluated one of `tenants` (None:
    any) and completed at least one step; None when there is none."""
    from dagster import DagsterRunStatus, RunsFilter

    # Imported here: the automation package imports this module.
    from dagster_cerniq.defs.automation.jobs import hitl_sla_job, nurturing_job
    from dagster_cerniq.defs.automation.partitions import tenant_partitions, tenants_of_run

    # The jobs whose runs write back per tenant (the dbt data tests job writes nothing).
    write_back_jobs = {nurturing_job.name, hitl_sla_job.name, _AD_HOC_ASSET_JOB}
    wanted = None if tenants is None else set(tenants)
    keys: list[str] | None = None

    def covered(run_tags: Mapping[str, str]) -> set[str]:
        nonlocal keys
        if keys is None:
            keys = list(instance.get_dynamic_partitions(tenant_partitions.name))
        return tenants_of_run(run_tags, keys)

    def evaluated(record) -> str | None:
        run = record.dagster_run
        if run.run_id == exclude_run_id or run.job_name not in write_back_jobs:
            return None
        hit = covered(run.tags)
        hit = hit if wanted is None else hit & wanted
        if not hit:
            return None
        if run.status != DagsterRunStatus.SUCCESS and not any(
            stat.status is not None and stat.status.value == "SUCCESS"
            for stat in instance.get_run_step_stats(run.run_id)
        ):
            return None  # refused or failed before writing anything
        return min(hit)

    found: list[Evaluation] = []
    dates = sorted(
        {
            day
            for _, values in instance.get_run_tags(tag_keys=[AS_OF_TAG])
            for value in values
            if (day := _date_or_none(value)) is not None and day > after
        },
        reverse=True,
    )
    for day in dates:
        for record in instance.get_run_records(RunsFilter(tags={AS_OF_TAG: day.isoformat()})):
            tenant = evaluated(record)
            if tenant:
                found.append(Evaluation(day, record.dagster_run.run_id, tenant))
                break
        if found:
            break
    # Runs launched without the tag (from the UI) are as of the day they were created.
    since = dt.datetime.combine(after + dt.timedelta(days=1), dt.time(), BUSINESS_TIMEZONE)
    for record in instance.get_run_records(RunsFilter(created_after=since), limit=1000):
        if AS_OF_TAG in record.dagster_run.tags:
            continue
        day = record.create_timestamp.astimezone(BUSINESS_TIMEZONE).date()
        tenant = evaluated(record) if day > after else None
        if tenant:
            found.append(Evaluation(day, record.dagster_run.run_id, tenant))
    return max(found, key=lambda evaluation: evaluation.as_of, default=None)


def refuse_before_latest(
    instance: DagsterInstance,
    tenants: Iterable[str] | None,
    as_of: dt.date,
    exclude_run_id: str | None = None,
) -> None:
    later = latest_evaluation(instance, tenants, as_of, exclude_run_id)
    if later is not None:
        raise CerniqError(
            f"the as-of date {as_of.isoformat()} is before {later.as_of.isoformat()}, the date "
            f"tenant {later.tenant} was last evaluated as of (run {later.run_id}): an earlier "
            "run would undo what the later one wrote; to rewrite it on purpose, use "
            f"`cerniq run --replay` (run tag {REPLAY_TAG}=true)"
        )


_checked_runs: set[str] = set()


def refuse_before_latest_once(
    instance: DagsterInstance, run_id: str, tenants: Iterable[str], as_of: dt.date
) -> None:
    """refuse_before_latest for a run's own steps: checked once per run and process (every
    step's scope asks), the run itself left out."""
    if run_id in _checked_runs:
        return
    refuse_before_latest(instance, tenants, as_of, exclude_run_id=run_id)
    _checked_runs.add(run_id)


def _date_or_none(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None


def logical_time(as_of: dt.date, now: dt.datetime | None = None) -> dt.datetime:
    """End of the as-of day (next day 00:00 UTC), or now if that is earlier.

    State changes, audit rows and SLA clocks are stamped with it, so a replay of a past date
    behaves as the live run of that date did.
    """
    end_of_day = dt.datetime.combine(as_of + dt.timedelta(days=1), dt.time(), dt.UTC)
    current = now or dt.datetime.now(dt.UTC)
    return min(end_of_day, current)


def run_logical_time(as_of: dt.date, run_started_at: float) -> dt.datetime:
    """The logical time of a run: fixed by when the run started, the same in every step. Not
    when it was created: a run that waited in the queue reads the events that arrived
    meanwhile (the event sensor folds them into it), so it must count them as past."""
    return logical_time(as_of, dt.datetime.fromtimestamp(run_started_at, dt.UTC))
