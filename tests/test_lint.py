"""Lint as part of the tests: ruff for Python, sqlfluff (postgres, dbt templater) for dbt SQL."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from dagster_cerniq.dbt_project import DBT_PROJECT_DIR
from dagster_cerniq.embedded import REPO_ROOT

BIN = Path(sys.executable).parent


def run(*command: str, cwd: Path = REPO_ROOT) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, env=env, check=False)


def test_ruff_check() -> None:
    result = run(str(BIN / "ruff"), "check", ".")
    assert result.returncode == 0, result.stdout


def test_ruff_format() -> None:
    result = run(str(BIN / "ruff"), "format", "--check", ".")
    assert result.returncode == 0, result.stdout


def test_sqlfluff_on_dbt_models() -> None:
    result = run(str(BIN / "sqlfluff"), "lint", "models", cwd=DBT_PROJECT_DIR)
    assert result.returncode == 0, result.stdout[-4000:]
