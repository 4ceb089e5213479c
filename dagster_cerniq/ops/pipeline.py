"""`cerniq run`: the whole asset graph for some tenants, through the same Dagster definitions
the UI and the schedules use."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from uuid import UUID

from dagster_cerniq.defs.automation.jobs import nurturing_job
from dagster_cerniq.defs.automation.partitions import partition_ranges, run_tags, tenant_partitions
from dagster_cerniq.defs.dbt.project import ensure_manifest
from dagster_cerniq.ops.database import connect
from dagster_cerniq.ops.errors import CerniqError
from dagster_cerniq.ops.instance import cerniq_instance

# The run's full log (dbt's included) is in the Dagster UI; the terminal shows warnings only.
QUIET_CONSOLE = {"loggers": {"console": {"config": {"log_level": "WARNING"}}}}


@dataclass(frozen=True)
class PipelineRun:
    run_id: str
    first_tenant: str
    last_tenant: str
    tenants: int
    success: bool


def run_pipeline(
    database_url: str, tenant_ids: list[UUID] | None, as_of: dt.date
) -> list[PipelineRun]:
    """Materialize every asset for these tenants (None: all) as of a date.

    One Dagster run per contiguous range of tenant partitions: all tenants, or one, is one run.
    """
    with connect(database_url) as conn:
        in_table = [
            tenant_id
            for (tenant_id,) in conn.execute("select id::text from tenants order by created_at, id")
        ]
    wanted = set(in_table) if tenant_ids is None else {str(t) for t in tenant_ids}
    missing = sorted(wanted - set(in_table))
    if missing:
        raise CerniqError(f"no tenant with id {missing[0]}" + (
            f" (and {len(missing) - 1} more)" if len(missing) > 1 else ""))  # fmt: skip
    if not wanted:
        raise CerniqError("there are no tenants: run `cerniq generate` or load the app's data")

    ensure_manifest()
    from dagster_cerniq.definitions import defs

    instance = cerniq_instance(database_url)
    known = set(instance.get_dynamic_partitions(tenant_partitions.name))
    new_keys = [tenant_id for tenant_id in in_table if tenant_id not in known]
    if new_keys:
        instance.add_dynamic_partitions(tenant_partitions.name, new_keys)
    keys = instance.get_dynamic_partitions(tenant_partitions.name)

    job = defs.resolve_job_def(nurturing_job.name)
    runs = []
    for start, end in partition_ranges(keys, wanted):
        result = job.execute_in_process(
            instance=instance,
            tags=run_tags(start, end, as_of.isoformat()),
            run_config=QUIET_CONSOLE,
            raise_on_error=False,
        )
        covered = keys[keys.index(start) : keys.index(end) + 1]
        runs.append(PipelineRun(result.run_id, start, end, len(covered), result.success))
    return runs
