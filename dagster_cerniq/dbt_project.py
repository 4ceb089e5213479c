"""The dbt project: where it lives, how a run's tenants and as-of date become dbt vars, and the
connection environment its profile reads."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from uuid import UUID

from psycopg.conninfo import conninfo_to_dict

from dagster_cerniq.embedded import REPO_ROOT

DBT_PROJECT_DIR = REPO_ROOT / "dbt_project"
ANALYTICS_SCHEMA_ENV = "CERNIQ_DBT_SCHEMA"
DEFAULT_ANALYTICS_SCHEMA = "analytics"

# libpq parameter -> the environment variable dbt_project/profiles.yml reads.
PROFILE_ENV = {
    "host": "CERNIQ_DBT_HOST",
    "port": "CERNIQ_DBT_PORT",
    "user": "CERNIQ_DBT_USER",
    "password": "CERNIQ_DBT_PASSWORD",
    "dbname": "CERNIQ_DBT_DBNAME",
    "sslmode": "CERNIQ_DBT_SSLMODE",
}


def dbt_vars(tenant_ids: Iterable[str | UUID], as_of: dt.date) -> dict[str, object]:
    """The dbt vars of a run over these tenants (none: every tenant) as of a date.

    Sorted and deduplicated, so the same selection always compiles to the same SQL.
    """
    tenants = sorted({str(UUID(str(tenant_id))) for tenant_id in tenant_ids})
    return {"tenant_ids": tenants, "as_of": as_of.isoformat()}


def dbt_env(database_url: str) -> dict[str, str]:
    """The environment that points dbt's profile at `database_url`."""
    params = conninfo_to_dict(database_url)
    env = {variable: str(params[key]) for key, variable in PROFILE_ENV.items() if params.get(key)}
    env.setdefault(PROFILE_ENV["port"], "5432")
    env.setdefault(PROFILE_ENV["password"], "")
    env["DBT_SEND_ANONYMOUS_USAGE_STATS"] = "false"
    return env
