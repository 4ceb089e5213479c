"""Tenants as dynamic partitions, and what starts runs for them: the tenant sync sensor, the
event sensor (completed orders, inbound messages, NPS answers) and the daily schedule."""

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass

from dagster import (
    AssetSelection,
    DefaultScheduleStatus,
    DefaultSensorStatus,
    DynamicPartitionsDefinition,
    RunRequest,
    ScheduleEvaluationContext,
    SensorEvaluationContext,
    SensorResult,
    SkipReason,
    define_asset_job,
    schedule,
    sensor,
)

from dagster_cerniq.resources import CerniqDatabase
from dagster_cerniq.run_dates import AS_OF_TAG, BUSINESS_TIMEZONE, today

tenant_partitions = DynamicPartitionsDefinition(name="tenants")

# The dbt data tests (asset checks) read whole tables: they run in their own daily job
# (analytics.dbt_data_tests_job), not in every evaluation run.
nurturing_job = define_asset_job(
    "nurturing_evaluation",
    selection=AssetSelection.all().without_checks(),
    description="The whole graph for the selected tenants: dbt models, write-backs, follow-ups.",
)

PARTITION_RANGE_START_TAG = "dagster/asset_partition_range_start"
PARTITION_RANGE_END_TAG = "dagster/asset_partition_range_end"
EVENTS_PER_TICK = 50_000


def partition_ranges(ordered_keys: Sequence[str], wanted: set[str]) -> list[tuple[str, str]]:
    """The fewest contiguous (start, end) ranges of `ordered_keys` covering exactly `wanted`.

    A Dagster run targets one partition range; tenants that are neighbours in the partition
    order share a run.
    """
    ranges: list[tuple[str, str]] = []
    start = previous = None
    for key in ordered_keys:
        if key in wanted:
            start = start or key
            previous = key
        elif start is not None:
            ranges.append((start, previous))
            start = None
    if start is not None:
        ranges.append((start, previous))
    return ranges


def range_tags(start: str, end: str) -> dict[str, str]:
    return {PARTITION_RANGE_START_TAG: start, PARTITION_RANGE_END_TAG: end}


def run_tags(start: str, end: str, as_of: str) -> dict[str, str]:
    return {**range_tags(start, end), AS_OF_TAG: as_of}


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
        rows = conn.execute("select id::text from tenants order by created_at, id").fetchall()
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
    query: str


EVENT_SOURCES = (
    EventSource(
        name="completed_orders",
        query="""
            select tenant_id::text, updated_at, id::text from gold_orders
            where status = 'DELIVERED' and delivered_at is not null
              and (updated_at, id) > (%(t)s, %(id)s::uuid)
            order by updated_at, id limit %(limit)s
        """,
    ),
    EventSource(
        name="inbound_messages",
        query="""
            select tenant_id::text, created_at, id::text from gold_client_messages
            where direction = 'INBOUND' and (created_at, id) > (%(t)s, %(id)s::uuid)
            order by created_at, id limit %(limit)s
        """,
    ),
    EventSource(
        name="nps_answers",
        query="""
            select tenant_id::text, updated_at, id::text from gold_nps_surveys
            where responded_at is not null and score is not null
              and (updated_at, id) > (%(t)s, %(id)s::uuid)
            order by updated_at, id limit %(limit)s
        """,
    ),
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
            events = conn.execute(source.query, {**cursor, "limit": EVENTS_PER_TICK}).fetchall()
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


@schedule(
    name="daily_evaluation",
    job=nurturing_job,
    cron_schedule="0 2 * * *",
    execution_timezone=str(BUSINESS_TIMEZONE),
    default_status=DefaultScheduleStatus.RUNNING,
    description="Every tenant, once a day, as one run (02:00 Europe/Bucharest).",
)
def daily_evaluation(context: ScheduleEvaluationContext):
    return every_tenant_run(context, "daily")


def every_tenant_run(context: ScheduleEvaluationContext, reason: str) -> RunRequest | SkipReason:
    """A scheduled run over every tenant partition, as of the tick's day in Bucharest."""
    keys = context.instance.get_dynamic_partitions(tenant_partitions.name)
    if not keys:
        return SkipReason("no tenant partitions yet")
    return scheduled_run(context, reason, range_tags(keys[0], keys[-1]))


def scheduled_run(
    context: ScheduleEvaluationContext, reason: str, tags: dict[str, str]
) -> RunRequest:
    """A run keyed by its schedule tick, as of the tick's day in Bucharest."""
    tick = context.scheduled_execution_time.astimezone(BUSINESS_TIMEZONE)
    return RunRequest(
        run_key=f"{reason}:{tick.isoformat()}", tags={**tags, AS_OF_TAG: tick.date().isoformat()}
    )
