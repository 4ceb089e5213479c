"""Tenants as dynamic partitions, and how a set of tenants becomes runs: a Dagster run targets
one contiguous range of partitions, so tenants that are neighbours in the partition order share
a run."""

from collections.abc import Mapping, Sequence

from dagster import DynamicPartitionsDefinition

from dagster_cerniq.lib.run_dates import AS_OF_TAG

tenant_partitions = DynamicPartitionsDefinition(name="tenants")

PARTITION_RANGE_START_TAG = "dagster/asset_partition_range_start"
PARTITION_RANGE_END_TAG = "dagster/asset_partition_range_end"
PARTITION_TAG = "dagster/partition"


def partition_ranges(ordered_keys: Sequence[str], wanted: set[str]) -> list[tuple[str, str]]:
    """The fewest contiguous (start, end) ranges of `ordered_keys` covering exactly `wanted`."""
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


def tenants_of_run(tags: Mapping[str, str], ordered_keys: Sequence[str]) -> set[str]:
    """The tenant partitions a run covers, from its tags (empty: a run of no partition, such as
    the dbt data tests). A range whose ends are no longer partitions covers just its ends."""
    if PARTITION_TAG in tags:
        return {tags[PARTITION_TAG]}
    start, end = tags.get(PARTITION_RANGE_START_TAG), tags.get(PARTITION_RANGE_END_TAG)
    if not start or not end:
        return set()
    if start not in ordered_keys or end not in ordered_keys:
        return {start, end}
    return set(ordered_keys[ordered_keys.index(start) : ordered_keys.index(end) + 1])
