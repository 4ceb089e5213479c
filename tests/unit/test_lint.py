"""Lint as part of the tests: ruff for Python, sqlfluff for the dbt models (dbt templater) and for
the SQL files of the Python steps (placeholder templater, dagster_cerniq/.sqlfluff)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from dagster_cerniq.defs.dbt.project import DBT_PROJECT_DIR, dbt_env
from dagster_cerniq.ops.embedded import REPO_ROOT

BIN = Path(sys.executable).parent


def run(
    *command: str, cwd: Path = REPO_ROOT, extra_env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DBT_SEND_ANONYMOUS_USAGE_STATS": "false", **(extra_env or {})}
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, env=env, check=False)


def test_ruff_check() -> None:
    result = run(str(BIN / "ruff"), "check", ".")
    assert result.returncode == 0, result.stdout


def test_ruff_format() -> None:
    result = run(str(BIN / "ruff"), "format", "--check", ".")
    assert result.returncode == 0, result.stdout


def test_sqlfluff_on_dbt_models(fresh_db: str) -> None:
    # The dbt templater compiles the models, and `is_incremental()` asks the database whether
    # the relation exists, so dbt's profile must point at a server that is running.
    result = run(
        str(BIN / "sqlfluff"), "lint", "models", cwd=DBT_PROJECT_DIR, extra_env=dbt_env(fresh_db)
    )
    assert result.returncode == 0, result.stdout[-4000:]


def test_sqlfluff_on_write_back_sql() -> None:
    package = REPO_ROOT / "dagster_cerniq"
    sql_files = sorted(str(p.relative_to(package)) for p in package.glob("*/**/sql/*.sql"))
    result = run(
        str(BIN / "sqlfluff"),
        "lint",
        "--processes",
        "2",
        "--format",
        "json",
        *sql_files,
        cwd=package,
    )
    linted = json.loads(result.stdout)
    assert sorted(entry["filepath"] for entry in linted) == sql_files
    violations = [(entry["filepath"], v) for entry in linted for v in entry["violations"]]
    assert violations == []
