"""What starts runs from the data: the tenant sync sensor keeps the partitions in step with the
tenants table; the event sensor starts a run for the tenants of new completed orders, inbound
messages and NPS answers."""

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass

from dagster import (
    DefaultSensorStatus,
    RunRequest,
    SensorEvaluationContext,
    SensorResult,
    SkipReason,
    sensor,
)

from dagster_cerniq.defs.automation.jobs import nurturing_job
from dagster_cerniq.defs.automation.partitions import partition_ranges, run_tags, tenant_partitions
from dagster_cerniq.lib.resources import CerniqDatabase
from dagster_cerniq.lib.run_dates import today
from dagster_cerniq.lib.write_back import Reads, Statement, statements

EVENTS_PER_TICK = 50_000


def run_requests_for(
    ordered_keys: Sequence[str], tenants: set[str], as_of: str, reason: str
) -> list[RunRequest]:
    return [
        RunRequest(run_key=f"{reason}:{as_of}:{start}:{end}", tags=run_tags(start, end, as_of))
        for start, end in partition_ranges(ordered_keys, tenants)
    ]


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
    # Selects (tenant_id, cursor_time, id) of new events, ordered, after (%(t)s, %(id)s).
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


@sensor(
    name="tenant_events_sensor",
    job=nurturing_job,
    minimum_interval_seconds=60,
    default_status=DefaultSensorStatus.RUNNING,
    description=(
        "New completed orders, inbound messages and NPS answers start one run for the tenants "
        "they belong to; a cursor per source, so each event counts once."
    ),
)
def tenant_events_sensor(context: SensorEvaluationContext, database: CerniqDatabase):
    cursors = json.loads(context.cursor) if context.cursor else {}
    tenants: set[str] = set()
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
        return SkipReason("no new events")
    known = context.instance.get_dynamic_partitions(tenant_partitions.name)
    for unknown in sorted(tenants - set(known)):
        context.log.info(f"ignoring events of tenant {unknown}: not a partition (yet)")
    new_cursor = json.dumps(cursors, sort_keys=True)
    requests = run_requests_for(
        known,
        tenants & set(known),
        today().isoformat(),
        f"events:{hashlib.sha1(new_cursor.encode()).hexdigest()[:16]}",
    )
    return SensorResult(run_requests=requests, cursor=new_cursor)
