"""What starts runs from the data: the tenant sync sensor keeps the partitions in step with the
tenants table; the event sensor starts a run for the tenants of new completed orders, inbound
messages and NPS answers."""

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
from dagster_cerniq.lib.run_dates import today
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
    # Selects (tenant_id, cursor_time, id) of new events, ordered, after (%(t)s, %(id)s), and
    # not after now: a row dated in the future (a skewed clock) would carry the cursor past
    # every event recorded before its time.
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

# An evaluation run that has not started yet reads the data when it starts, so it will see
# every event that arrives before then.
WAITING_STATUSES = [DagsterRunStatus.QUEUED, DagsterRunStatus.NOT_STARTED]


@sensor(
    name="tenant_events_sensor",
    job=nurturing_job,
    minimum_interval_seconds=30,
    default_status=DefaultSensorStatus.RUNNING,
    description=(
        "New completed orders, inbound messages and NPS answers start a run for the tenants "
        "they belong to, coalesced: while an evaluation run waits in the queue, new events fold "
        "into it (or, for tenants it does not cover, into the next one), so there is never more "
        "than one run waiting. A cursor per source, so each event counts once."
    ),
)
def tenant_events_sensor(context: SensorEvaluationContext, database: CerniqDatabase):
    cursors = json.loads(context.cursor) if context.cursor else first_start_cursors(context)
    # Tenants whose events wait for the next run, because a queued run did not cover them.
    tenants: set[str] = set(cursors.pop(PENDING, []))
    with database.transaction() as conn:
        for source in EVENT_SOURCES:
            cursor = cursors.get(source.name, EPOCH_CURSOR)
            events = conn.execute(
                source.query.compose(), {**cursor, "batch_size": EVENTS_PER_TICK}
            ).fetchall()
            if events:
                _, last_time, last_id = events[-1]
                cursors[source.name] = {"t": last_time.isoformat(), "id": last_id}
                tenants |= {tenant_id for tenant_id, _, _ in events}
    if not tenants:
        return SensorResult(skip_reason="no new events", cursor=json.dumps(cursors, sort_keys=True))
    known = context.instance.get_dynamic_partitions(tenant_partitions.name)
    for unknown in sorted(tenants - set(known)):
        context.log.info(f"ignoring events of tenant {unknown}: not a partition (yet)")
    tenants &= set(known)
    waiting = context.instance.get_runs(
        RunsFilter(job_name=nurturing_job.name, statuses=WAITING_STATUSES)
    )
    if waiting:
        covered = set().union(*(tenants_of_run(run.tags, known) for run in waiting))
        pending = sorted(tenants - covered)
        cursors[PENDING] = pending
        return SensorResult(
            skip_reason=(
                f"folded into waiting run {waiting[0].run_id}"
                + (f"; {len(pending)} tenant(s) wait for the next run" if pending else "")
            ),
            cursor=json.dumps(cursors, sort_keys=True),
        )
    new_cursor = json.dumps(cursors, sort_keys=True)
    if not tenants:
        return SensorResult(skip_reason="events of unknown tenants only", cursor=new_cursor)
    # One run over the span of the tenants: one queued run at most; tenants in between that had
    # no event are evaluated too, which changes nothing of theirs but the day counts.
    ordered = [key for key in known if key in tenants]
    request = RunRequest(
        run_key=f"events:{hashlib.sha1(new_cursor.encode()).hexdigest()[:16]}",
        tags=run_tags(ordered[0], ordered[-1], today().isoformat()),
    )
    return SensorResult(run_requests=[request], cursor=new_cursor)


PENDING = "pending_tenants"


def first_start_cursors(context: SensorEvaluationContext) -> dict:
    """A new sensor's cursors: every source at the creation of the latest successful evaluation
    run (it read the data after that, so it evaluated those events), or at the epoch when there
    is none. Without it, a first start would evaluate again every event ever recorded."""
    [latest] = context.instance.get_run_records(
        RunsFilter(job_name=nurturing_job.name, statuses=[DagsterRunStatus.SUCCESS]), limit=1
    ) or [None]
    if latest is None:
        return {}
    cursor = {**EPOCH_CURSOR, "t": latest.create_timestamp.isoformat()}
    return {source.name: cursor for source in EVENT_SOURCES}
