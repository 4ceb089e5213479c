"""The event sensor and the daily schedule against a live database: which runs they ask for,
how new events fold into a run that waits in the queue, and where a first start begins."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterator
from uuid import UUID

import psycopg
import pytest
from dagster import (
    DagsterInstance,
    DagsterRunStatus,
    build_schedule_context,
    build_sensor_context,
    instance_for_test,
)
from dagster._core.remote_origin import (
    InProcessCodeLocationOrigin,
    RemoteJobOrigin,
    RemoteRepositoryOrigin,
)
from dagster._core.test_utils import create_run_for_test
from dagster._core.types.loadable_target_origin import LoadableTargetOrigin

from dagster_cerniq.defs.automation.jobs import EVALUATION_TAG, nurturing_job
from dagster_cerniq.defs.automation.partitions import (
    PARTITION_RANGE_END_TAG,
    PARTITION_RANGE_START_TAG,
    range_tags,
    tenant_partitions,
)
from dagster_cerniq.defs.automation.schedules import daily_evaluation
from dagster_cerniq.defs.automation.sensors import (
    SETTLE_SECONDS,
    tenant_events_sensor,
    tenant_partitions_sync,
)
from dagster_cerniq.lib.resources import CerniqDatabase
from dagster_cerniq.lib.run_dates import AS_OF_TAG, REPLAY_TAG, today
from dagster_cerniq.ops.instance import cerniq_instance
from tests.conftest import generated, new_database


@pytest.fixture
def two_tenants(admin_url) -> Iterator[tuple[str, UUID, UUID, DagsterInstance]]:
    with generated(admin_url, clients_per_tenant=20) as (url, (x, y)), instance_for_test() as inst:
        inst.add_dynamic_partitions(tenant_partitions.name, sorted([str(x), str(y)]))
        yield url, x, y, inst


def tick(url: str, instance: DagsterInstance, cursor: str | None = None):
    database = CerniqDatabase(url=url)
    return tenant_events_sensor(
        build_sensor_context(instance=instance, resources={"database": database}, cursor=cursor)
    )


# The sensor reads an event once it is SETTLE_SECONDS old.
SETTLED = f"now() - interval '{SETTLE_SECONDS} seconds'"


def new_order(url: str, tenant: UUID, recorded: str = SETTLED) -> None:
    """A completed order of one of the tenant's clients, recorded at `recorded` (SQL)."""
    with psycopg.connect(url) as conn:
        conn.execute(
            "insert into gold_orders (tenant_id, client_id, status, total_value, ordered_at, "
            f"delivered_at, created_at, updated_at) select tenant_id, id, 'DELIVERED', 1200, "
            f"now() - interval '3 days', now(), {recorded}, {recorded} "
            "from gold_clients where tenant_id = %s limit 1",
            (tenant,),
        )


# A queued run must name where its job's code is; the sensor never reads it.
ORIGIN = RemoteJobOrigin(
    repository_origin=RemoteRepositoryOrigin(
        code_location_origin=InProcessCodeLocationOrigin(
            loadable_target_origin=LoadableTargetOrigin(module_name="dagster_cerniq.definitions")
        ),
        repository_name="__repository__",
    ),
    job_name=nurturing_job.name,
)


def waiting_run(instance: DagsterInstance, tenant: UUID, **tags: str) -> str:
    """A run of one tenant waiting in the queue, as of today unless the tags say otherwise."""
    run = create_run_for_test(
        instance,
        job_name=nurturing_job.name,
        status=DagsterRunStatus.QUEUED,
        remote_job_origin=ORIGIN,
        tags={
            **range_tags(str(tenant), str(tenant)),
            EVALUATION_TAG: "tenants",
            AS_OF_TAG: today().isoformat(),
            **tags,
        },
    )
    return run.run_id


def covered(result) -> list[tuple[str, str]]:
    return [
        (r.tags[PARTITION_RANGE_START_TAG], r.tags[PARTITION_RANGE_END_TAG])
        for r in result.run_requests or []
    ]


def test_the_partition_sync_adds_the_tenants_of_the_table(admin_url) -> None:
    with generated(admin_url, clients_per_tenant=20) as (url, tenants), instance_for_test() as inst:
        database = CerniqDatabase(url=url)
        sync = tenant_partitions_sync(
            build_sensor_context(instance=inst, resources={"database": database})
        )
        assert sorted(sync.dynamic_partitions_requests[0].partition_keys) == sorted(
            map(str, tenants)
        )


def test_events_start_one_run_each_counted_once(two_tenants) -> None:
    url, x, y, instance = two_tenants
    instance.delete_dynamic_partition(tenant_partitions.name, str(y))
    first = tick(url, instance)
    assert covered(first) == [(str(x), str(x))]
    assert not tick(url, instance, first.cursor).run_requests, "each event starts a run once"
    new_order(url, x)
    again = tick(url, instance, first.cursor)
    assert covered(again) == [(str(x), str(x))] and again.cursor != first.cursor


def test_a_new_tenants_events_wait_until_it_is_a_partition(two_tenants) -> None:
    url, x, y, instance = two_tenants
    instance.delete_dynamic_partition(tenant_partitions.name, str(y))
    first = tick(url, instance)
    assert covered(first) == [(str(x), str(x))]
    waits = tick(url, instance, first.cursor)
    assert not waits.run_requests and "1 tenant(s) wait" in waits.skip_reason.skip_message
    instance.add_dynamic_partitions(tenant_partitions.name, [str(y)])
    assert covered(tick(url, instance, waits.cursor)) == [(str(y), str(y))]


def test_events_fold_into_the_run_waiting_in_the_queue(two_tenants) -> None:
    url, x, y, instance = two_tenants
    first = tick(url, instance)
    [(start, end)] = covered(first)
    assert {start, end} == {str(x), str(y)}, "one run over both tenants' events"

    # The run waits in the queue: a new event of a tenant it covers folds into it.
    queued = waiting_run(instance, x)
    new_order(url, x)
    folded = tick(url, instance, first.cursor)
    assert not folded.run_requests
    assert queued in folded.skip_reason.skip_message

    # An event of a tenant it does not cover waits for the next run, not in a second queued run.
    new_order(url, y)
    waits = tick(url, instance, folded.cursor)
    assert not waits.run_requests
    assert "1 tenant(s) wait for the next run" in waits.skip_reason.skip_message

    # A replay or a run as of another day will not evaluate today's events: no folding into it.
    replay = waiting_run(instance, y, **{REPLAY_TAG: "true"})
    yesterday = waiting_run(instance, y, **{AS_OF_TAG: "2026-01-01"})
    still = tick(url, instance, waits.cursor)
    assert not still.run_requests and "1 tenant(s) wait" in still.skip_reason.skip_message
    for run_id in (replay, yesterday):
        instance.report_run_canceled(instance.get_run_by_id(run_id))

    # Once the queued run has left the queue, the waiting tenant gets its run, with no new event.
    instance.report_run_canceled(instance.get_run_by_id(queued))
    nxt = tick(url, instance, waits.cursor)
    assert covered(nxt) == [(str(y), str(y))]
    assert not tick(url, instance, nxt.cursor).run_requests


def test_a_row_dated_in_the_future_hides_no_later_event(two_tenants) -> None:
    url, x, y, instance = two_tenants
    first = tick(url, instance)
    new_order(url, x, recorded="now() + interval '1 day'")
    assert not tick(url, instance, first.cursor).run_requests, "its time has not come"
    new_order(url, y)
    assert covered(tick(url, instance, first.cursor)) == [(str(y), str(y))]


def evaluated(instance: DagsterInstance, tenant: UUID, **tags: str) -> None:
    create_run_for_test(
        instance,
        job_name=nurturing_job.name,
        status=DagsterRunStatus.SUCCESS,
        tags={**range_tags(str(tenant), str(tenant)), EVALUATION_TAG: "tenants", **tags},
    )


def test_a_first_start_begins_after_every_tenants_latest_evaluation(two_tenants) -> None:
    url, x, y, instance = two_tenants
    evaluated(instance, x)
    # y was never evaluated (a replay does not count): its events are not skipped.
    evaluated(instance, y, **{REPLAY_TAG: "true"})
    assert covered(tick(url, instance)) != []
    evaluated(instance, y)
    start = tick(url, instance)
    assert not start.run_requests, "the events before the latest evaluations are not replayed"
    time.sleep(SETTLE_SECONDS + 1)  # the new order is dated after the evaluations
    new_order(url, x)
    assert covered(tick(url, instance, start.cursor)) == [(str(x), str(x))]


def test_the_daily_schedule_covers_every_tenant_as_of_its_day(two_tenants) -> None:
    _, x, y, instance = two_tenants
    scheduled = daily_evaluation(
        build_schedule_context(
            instance=instance,
            scheduled_execution_time=dt.datetime(2026, 11, 3, 2, tzinfo=dt.UTC),
        )
    )
    first, last = sorted([str(x), str(y)])
    assert scheduled.tags[PARTITION_RANGE_START_TAG] == first
    assert scheduled.tags[PARTITION_RANGE_END_TAG] == last
    assert scheduled.tags[AS_OF_TAG] == "2026-11-03"


def test_the_instance_lets_one_evaluation_run_go_at_a_time(admin_url) -> None:
    """The tag every evaluation run carries is the one dagster.yaml limits to one."""
    with new_database(admin_url) as url:
        limits = cerniq_instance(url).get_concurrency_config().run_queue_config
    assert EVALUATION_TAG in nurturing_job.tags
    assert [(limit["key"], limit["limit"]) for limit in limits.tag_concurrency_limits] == [
        (EVALUATION_TAG, 1)
    ]
    assert limits.max_concurrent_runs == 2
