"""Lint as part of the tests: ruff for Python, sqlfluff (postgres, dbt templater) for dbt SQL."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from dagster_cerniq.dbt_project import DBT_PROJECT_DIR, dbt_env
from dagster_cerniq.embedded import REPO_ROOT

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
