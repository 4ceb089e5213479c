"""The dbt project: where it lives, how a run's tenants and as-of date become dbt vars, and the
connection environment its profile reads."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from uuid import UUID

import yaml
from dagster_dbt import DbtProject
from psycopg.conninfo import conninfo_to_dict

from dagster_cerniq.ops.embedded import REPO_ROOT
from dagster_cerniq.ops.errors import CerniqError

DBT_PROJECT_DIR = REPO_ROOT / "dbt_project"

# What the manifest is built from: a newer file here means it must be rebuilt.
MANIFEST_INPUTS = (
    "dbt_project.yml",
    "profiles.yml",
    "selectors.yml",
    "models",
    "macros",
    "seeds",
    "tests",
)

# libpq parameter -> the environment variable dbt_project/profiles.yml reads.
PROFILE_ENV = {
    "host": "CERNIQ_DBT_HOST",
    "port": "CERNIQ_DBT_PORT",
    "user": "CERNIQ_DBT_USER",
    "password": "CERNIQ_DBT_PASSWORD",
    "dbname": "CERNIQ_DBT_DBNAME",
    "sslmode": "CERNIQ_DBT_SSLMODE",
}


def dbt_vars(
    tenant_ids: Iterable[str | UUID], as_of: dt.date, logical_time: dt.datetime | None = None
) -> dict[str, object]:
    """The dbt vars of a run over these tenants (none: every tenant) as of a date.

    Sorted and deduplicated, so the same selection always compiles to the same SQL.
    """
    tenants = sorted({str(UUID(str(tenant_id))) for tenant_id in tenant_ids})
    variables: dict[str, object] = {"tenant_ids": tenants, "as_of": as_of.isoformat()}
    if logical_time is not None:
        variables["logical_time"] = logical_time.isoformat()
    return variables


def dbt_var_defaults() -> dict[str, object]:
    """The default of every dbt var (dbt_project.yml `vars:`), for code outside dbt that shows
    or ports a rule (`cerniq show`, the benchmark's row-by-row port) without restating it."""
    project = yaml.safe_load((DBT_PROJECT_DIR / "dbt_project.yml").read_text(encoding="utf-8"))
    return project["vars"]


def dbt_env(database_url: str) -> dict[str, str]:
    """The environment that points dbt's profile at `database_url`."""
    params = conninfo_to_dict(database_url)
    env = {variable: str(params[key]) for key, variable in PROFILE_ENV.items() if params.get(key)}
    env.setdefault(PROFILE_ENV["port"], "5432")
    env.setdefault(PROFILE_ENV["password"], "")
    env["DBT_SEND_ANONYMOUS_USAGE_STATS"] = "false"
    return env


@cache
def cerniq_dbt_project() -> DbtProject:
    """The dbt project, loaded once per process; `dagster dev` rebuilds its manifest."""
    project = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)
    project.prepare_if_dev()
    return project


def ensure_manifest() -> None:
    """Parse the dbt project when its manifest is missing or older than any of its files.

    `@dbt_assets` reads the manifest at import time, so the CLI calls this before loading the
    Dagster definitions.
    """
    project = cerniq_dbt_project()
    manifest = project.manifest_path
    if manifest.exists():
        built = manifest.stat().st_mtime
        newest = max(
            (path.stat().st_mtime for name in MANIFEST_INPUTS
             for path in [DBT_PROJECT_DIR / name, *(DBT_PROJECT_DIR / name).rglob("*")]
             if path.exists()),
            default=0.0,
        )  # fmt: skip
        if newest <= built:
            return
    result = subprocess.run(
        [dbt_executable(), "parse", "--project-dir", str(DBT_PROJECT_DIR),
         "--profiles-dir", str(DBT_PROJECT_DIR), "--target-path", str(project.target_path)],
        capture_output=True,
        text=True,
        env={**os.environ, "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"},
        check=False,
    )  # fmt: skip
    if result.returncode != 0:
        errors = [line for line in result.stdout.splitlines() if "rror" in line]
        raise CerniqError(f"dbt parse failed: {(errors or ['see dbt logs'])[-1].strip()}")


def dbt_executable() -> str:
    """The dbt of this virtualenv, found whether or not the venv is on PATH."""
    beside_python = Path(sys.executable).parent / "dbt"
    return str(beside_python) if beside_python.exists() else "dbt"
