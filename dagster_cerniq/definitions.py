"""The Dagster code location: every asset, check, job, sensor and schedule found under
`dagster_cerniq.defs` (one folder per domain; adding one is not an edit here), plus the
resources, chosen when a run starts (never at import)."""

from dagster import Definitions, load_from_defs_folder
from dagster_dbt import DbtCliResource

from dagster_cerniq.defs.dbt.project import cerniq_dbt_project, dbt_executable
from dagster_cerniq.lib.outbox import OutboxChannel
from dagster_cerniq.lib.resources import CerniqDatabase
from dagster_cerniq.ops.embedded import REPO_ROOT

defs = Definitions.merge(
    load_from_defs_folder(path_within_project=REPO_ROOT),
    Definitions(
        resources={
            "dbt": DbtCliResource(
                project_dir=cerniq_dbt_project(), dbt_executable=dbt_executable()
            ),
            "database": CerniqDatabase(),
            "channel": OutboxChannel(),
        }
    ),
)
