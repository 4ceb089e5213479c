"""What starts runs from the data: the tenant sync sensor keeps the partitions in step with the
tenants table; the event sensor starts a run for the tenants of new completed orders, inbound
messages and NPS answers."""

import datetime as dt
import hashlib
import json
from dataclasses import dataclass

from dagster import (
    DagsterRunStatus,
    DefaultSensorStatus,
    RunRequest,
    RunsFilter,
    SensorEvaluationContext,
    SensorResult,
    SkipReason,
    sensor,
)

from dagster_cerniq.defs.automation.jobs import nurturing_job
from dagster_cerniq.defs.automation.partitions import run_tags, tenant_partitions, tenants_of_run
from dagster_cerniq.lib.resources import CerniqDatabase
from dagster_cerniq.lib.run_dates import AS_OF_TAG, is_replay, today
from dagster_cerniq.lib.write_back import Reads, Statement, statements

EVENTS_PER_TICK = 50_000


@sensor(
    name="tenant_partitions_sync",
    minimum_interval_seconds=60,
    default_status=DefaultSensorStatus.RUNNING,
    description="Keeps the `tenants` partitions in step with the tenants table.",
)
def tenant_partitions_sync(context: SensorEvaluationContext, database: CerniqDatabase):
    with database.transaction() as conn:
        rows = conn.execute(TENANTS_IN_ORDER.compose()).fetchall()
    in_table = [tenant_id for (tenant_id,) in rows]
    known = set(context.instance.get_dynamic_partitions(tenant_partitions.name))
    added = [tenant_id for tenant_id in in_table if tenant_id not in known]
    removed = sorted(known - set(in_table))
    if not added and not removed:
        return SkipReason(f"{len(known)} tenant partitions, all in step")
    context.log.info(f"adding {len(added)} tenant partition(s), removing {len(removed)}")
    requests = [tenant_partitions.build_add_request(added)] if added else []
    if removed:
        requests.append(tenant_partitions.build_delete_request(removed))
    return SensorResult(dynamic_partitions_requests=requests)


@dataclass(frozen=True)
class EventSource:
    """New rows of a table that call for a fresh evaluation of their tenant."""

    name: str
    # Selects (tenant_id, cursor_time, id) of new events, ordered, after (%(t)s, %(id)s) and at
    # least %(settle_seconds)s old: a row dated in the future (a skewed clock) would carry the
    # cursor past every event recorded before its time.
    query: Statement


SQL = statements(__file__, Reads())
NEW_COMPLETED_ORDERS = SQL("new_completed_orders")
NEW_INBOUND_MESSAGES = SQL("new_inbound_messages")
NEW_NPS_ANSWERS = SQL("new_nps_answers")
TENANTS_IN_ORDER = SQL("tenants_in_order")
EVENT_SOURCES = (
    EventSource("completed_orders", NEW_COMPLETED_ORDERS),
    EventSource("inbound_messages", NEW_INBOUND_MESSAGES),
    EventSource("nps_answers", NEW_NPS_ANSWERS),
)

EPOCH_CURSOR = {"t": "1970-01-01T00:00:00+00:00", "id": "00000000-0000-0000-0000-000000000000"}

# An event is read once it is this old: a row's time is its transaction's start, so a
# transaction that commits late can record a row older than one already read. Its commit must
# come within this many seconds, or its row is missed.
SETTLE_SECONDS = 10

# Tenants whose events are read but not yet in a run: not a partition yet (the partition sync
# adds it within a minute), or not covered by the run waiting in the queue.
PENDING = "pending_tenants"


@sensor(
    name="tenant_events_sensor",
    job=nurturing_job,
    minimum_interval_seconds=30,
    default_status=DefaultSensorStatus.RUNNING,
    description=(
        "New completed orders, inbound messages and NPS answers start a run for the tenants "
        "they belong to, coalesced: while an evaluation run as of today waits in the queue, new "
        "events fold into it (or, for tenants it does not cover, into the next one), so there "
        "is never more than one run waiting. A cursor per source, so each event counts once."
    ),
)
def tenant_events_sensor(context: SensorEvaluationContext, database: CerniqDatabase):
    cursors = json.loads(context.cursor) if context.cursor else first_start_cursors(context)
    tenants: set[str] = set(cursors.pop(PENDING, []))
    with database.transaction() as conn:
        for source in EVENT_SOURCES:
            cursor = cursors.get(source.name, EPOCH_CURSOR)
            events = conn.execute(
                source.query.compose(),
                {**cursor, "batch_size": EVENTS_PER_TICK, "settle_seconds": SETTLE_SECONDS},
            ).fetchall()
            if events:
                _, last_time, last_id = events[-1]
                cursors[source.name] = {"t": last_time.isoformat(), "id": last_id}
                tenants |= {tenant_id for tenant_id, _, _ in events}
        known = context.instance.get_dynamic_partitions(tenant_partitions.name)
        unknown = tenants - set(known)
        if unknown:
            # A tenant that left the tenants table has no events to wait for.
            in_table = {tenant_id for (tenant_id,) in conn.execute(TENANTS_IN_ORDER.compose())}
            unknown &= in_table
            context.log.info(f"{len(unknown)} tenant(s) with events wait to become partitions")
    tenants &= set(known)

    today_as_of = today().isoformat()
    waiting = [
        run
        for run in context.instance.get_runs(
            RunsFilter(job_name=nurturing_job.name, statuses=[DagsterRunStatus.QUEUED])
        )
        # A replay or a run as of another day will not evaluate today's events.
        if run.tags.get(AS_OF_TAG) == today_as_of and not is_replay(run.tags)
    ]
    covered = set().union(*(tenants_of_run(run.tags, known) for run in waiting))
    to_run = tenants - covered
    if waiting or not to_run:
        cursors[PENDING] = sorted(unknown | to_run)
        folded = waiting and tenants
        reason = f"folded into waiting run {waiting[0].run_id}" if folded else "no new events"
        if cursors[PENDING]:
            reason += f"; {len(cursors[PENDING])} tenant(s) wait for the next run"
        return SensorResult(skip_reason=reason, cursor=json.dumps(cursors, sort_keys=True))
    cursors[PENDING] = sorted(unknown)
    new_cursor = json.dumps(cursors, sort_keys=True)
    # One run over the span of the tenants: one queued run at most; tenants in between that had
    # no event are evaluated too, which changes nothing of theirs but the day counts.
    ordered = [key for key in known if key in to_run]
    request = RunRequest(
        run_key=f"events:{hashlib.sha1(new_cursor.encode()).hexdigest()[:16]}",
        tags=run_tags(ordered[0], ordered[-1], today_as_of),
    )
    return SensorResult(run_requests=[request], cursor=new_cursor)


# How far back a first start looks for each tenant's latest evaluation.
FIRST_START_RUNS = 1_000


def first_start_cursors(context: SensorEvaluationContext) -> dict:
    """A new sensor's cursors: every source at the creation of the oldest of the tenants' latest
    successful evaluation runs (each read the data after its creation, so every tenant's events
    before that were evaluated), or at the epoch when a tenant has none. Without it, a first
    start would evaluate again every event ever recorded."""
    keys = context.instance.get_dynamic_partitions(tenant_partitions.name)
    latest: dict[str, float] = {}
    for record in context.instance.get_run_records(
        RunsFilter(job_name=nurturing_job.name, statuses=[DagsterRunStatus.SUCCESS]),
        limit=FIRST_START_RUNS,
    ):
        if is_replay(record.dagster_run.tags):
            continue
        created = record.create_timestamp.timestamp()
        for tenant in tenants_of_run(record.dagster_run.tags, keys):
            latest[tenant] = max(latest.get(tenant, 0.0), created)
    if not keys or set(keys) - set(latest):
        return {}
    oldest = dt.datetime.fromtimestamp(min(latest[key] for key in keys), dt.UTC)
    cursor = {**EPOCH_CURSOR, "t": oldest.isoformat()}
    return {source.name: cursor for source in EVENT_SOURCES}
