"""The one way a write-back asset is declared: partitioned by tenant, one run per tenant range,
in the Dagster group of its domain folder, tagged with the seed worker it realises, and with the
dependencies its `Reads` declares — the same mapping its SQL is checked against."""

from collections.abc import Callable

from dagster import AssetKey, AssetsDefinition, BackfillPolicy, asset

from dagster_cerniq.defs.automation.partitions import tenant_partitions
from dagster_cerniq.defs.dbt.assets import dbt_asset_key
from dagster_cerniq.defs.dbt.translator import WORKER_TAG
from dagster_cerniq.lib.write_back import Reads


def write_back_deps(reads: Reads) -> list[AssetKey]:
    return [*map(dbt_asset_key, reads.all_models()), *map(AssetKey, reads.all_after())]


def write_back_asset(
    *, key: str, worker: str, reads: Reads, description: str
) -> Callable[[Callable], AssetsDefinition]:
    def decorate(function: Callable) -> AssetsDefinition:
        # dagster_cerniq.defs.<domain>.<module>: the folder is the group.
        domain = function.__module__.split(".")[2]
        return asset(
            key=key,
            group_name=domain,
            partitions_def=tenant_partitions,
            backfill_policy=BackfillPolicy.single_run(),
            deps=write_back_deps(reads),
            tags={WORKER_TAG: worker},
            kinds={"postgres"},
            description=description,
        )(function)

    return decorate
