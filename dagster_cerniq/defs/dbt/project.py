"""The dbt project: where it lives, how a run's tenants and as-of date become dbt vars, and the
connection environment its profile reads."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from collections.abc import Iterable, Mapping
from functools import cache
from pathlib import Path
from uuid import UUID

import yaml
from dagster_dbt import DbtProject
from psycopg.conninfo import conninfo_to_dict

from dagster_cerniq.lib.write_back import lock_timeout, statement_timeout
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


# What the dbt child process may inherit from this process's environment; nothing else passes
# (not ANTHROPIC_API_KEY, not CERNIQ_DATABASE_URL with its password): the profile's connection
# comes from `dbt_env`, dagster-dbt adds its own DBT_* and DAGSTER_DBT_* variables.
DBT_ENV_NAMES = frozenset(
    {"PATH", "HOME", "USER", "LOGNAME", "LANG", "LANGUAGE", "TZ", "TMPDIR", "TEMP", "TMP",
     "VIRTUAL_ENV", "SSL_CERT_FILE", "SSL_CERT_DIR", "PGSSLROOTCERT", "PGSSLCERT", "PGSSLKEY",
     "PYTHONLEGACYWINDOWSSTDIO", "SYSTEMROOT"}
)  # fmt: skip
DBT_ENV_PREFIXES = ("DBT_", "CERNIQ_DBT_", "LC_")


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


# A run's dbt var overrides (JSON), for a backtest's what-if: the replay runs with the changed
# parameter, the live runs never carry it.
DBT_VARS_TAG = "cerniq/dbt_vars"
# Vars a run sets itself; a what-if cannot change them.
RUN_VARS = frozenset({"tenant_ids", "as_of", "logical_time"})


def what_if_vars(assignments: Iterable[str]) -> dict[str, object]:
    """`NAME=VALUE` pairs as dbt var overrides: NAME a var of dbt_project.yml (not one a run
    sets), VALUE of the default's type (a number stays a number)."""
    defaults = dbt_var_defaults()
    overrides: dict[str, object] = {}
    for assignment in assignments:
        name, sep, raw = assignment.partition("=")
        name, raw = name.strip(), raw.strip()
        if not sep or not name or not raw:
            raise CerniqError(f"a what-if is NAME=VALUE, got {assignment!r}")
        if name not in defaults or name in RUN_VARS:
            raise CerniqError(
                f"{name!r} is not a parameter a what-if can change (a var of dbt_project.yml: "
                f"{', '.join(sorted(set(defaults) - RUN_VARS))})"
            )
        value = yaml.safe_load(raw)
        default = defaults[name]
        if _is_number(default) and not _is_number(value):
            raise CerniqError(f"{name} is a number (default {default}), got {raw!r}")
        overrides[name] = value
    return overrides


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


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
    # dbt's sessions: named in pg_stat_activity, and never waiting forever (libpq reads these).
    env["PGAPPNAME"] = "cerniq dbt"
    env["PGOPTIONS"] = (
        f"-c lock_timeout={lock_timeout()} -c statement_timeout={statement_timeout()}"
    )
    return env


def dbt_child_env(environ: Mapping[str, str], database_url: str | None) -> dict[str, str]:
    """The whole environment of a dbt child process: from `environ` only what dbt needs
    (DBT_ENV_NAMES, DBT_ENV_PREFIXES), then the profile's connection (`dbt_env`; none for a
    `dbt parse`, which connects nowhere)."""
    kept = {
        name: value
        for name, value in environ.items()
        if name in DBT_ENV_NAMES or name.startswith(DBT_ENV_PREFIXES)
    }
    return {**kept, **(dbt_env(database_url) if database_url else {})}


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
        env={**dbt_child_env(os.environ, None), "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"},
        check=False,
    )  # fmt: skip
    if result.returncode != 0:
        errors = [line for line in result.stdout.splitlines() if "rror" in line]
        raise CerniqError(f"dbt parse failed: {(errors or ['see dbt logs'])[-1].strip()}")


def dbt_executable() -> str:
    """The dbt of this virtualenv, found whether or not the venv is on PATH."""
    beside_python = Path(sys.executable).parent / "dbt"
    return str(beside_python) if beside_python.exists() else "dbt"
