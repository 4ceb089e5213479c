"""The dbt child process gets only what it needs (issue 15, item 10): PATH, HOME, the locale,
DBT_* and the profile's connection variables; never ANTHROPIC_API_KEY nor the database URL. And
this process keeps its own environment (the sentiment step still reads its key)."""

from __future__ import annotations

import os

import pytest
from dagster_dbt import DbtCliResource
from dagster_dbt.core import resource as dbt_resource_module

from dagster_cerniq.defs.dbt.assets import dbt_child_environment
from dagster_cerniq.defs.dbt.project import DBT_PROJECT_DIR, dbt_child_env, dbt_executable

URL = "postgresql://cerniq_app:s3cret@db.example.ro:6432/cerniq?sslmode=require"
SECRETS = {
    "ANTHROPIC_API_KEY": "sk-ant-not-for-dbt",
    "CERNIQ_DATABASE_URL": URL,
    "AWS_SECRET_ACCESS_KEY": "nope",
    "GITHUB_TOKEN": "nope",
}


@pytest.fixture
def environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in SECRETS.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("CERNIQ_DBT_SCHEMA", "analytics_test")
    monkeypatch.setenv("DBT_PARTIAL_PARSE", "false")
    monkeypatch.setenv("LC_ALL", "C.UTF-8")


def assert_only_what_dbt_needs(env: dict[str, str]) -> None:
    for name in SECRETS:
        assert name not in env, name
    assert not any("sk-ant" in value for value in env.values())
    assert env["PATH"] == os.environ["PATH"]
    assert env["CERNIQ_DBT_HOST"] == "db.example.ro"
    assert env["CERNIQ_DBT_PORT"] == "6432"
    assert env["CERNIQ_DBT_USER"] == "cerniq_app"
    assert env["CERNIQ_DBT_PASSWORD"] == "s3cret"  # the profile's, which dbt does need
    assert env["CERNIQ_DBT_SSLMODE"] == "require"
    assert env["CERNIQ_DBT_SCHEMA"] == "analytics_test"
    assert env["DBT_PARTIAL_PARSE"] == "false"
    assert env["LC_ALL"] == "C.UTF-8"
    assert env["PGAPPNAME"] == "cerniq dbt"
    assert "lock_timeout=" in env["PGOPTIONS"] and "statement_timeout=" in env["PGOPTIONS"]


def test_the_child_environment_holds_only_what_dbt_needs(environment) -> None:
    assert_only_what_dbt_needs(dbt_child_env(os.environ, URL))


def test_the_env_dagster_dbt_hands_dbt_has_no_api_key(
    environment, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Through dagster-dbt's own `cli()`: what its DbtCliInvocation (the subprocess) gets."""
    handed: dict[str, str] = {}

    def capture(*args, env, **kwargs):
        handed.update(env)
        raise RuntimeError("captured")  # no dbt process is started

    monkeypatch.setattr(dbt_resource_module.DbtCliInvocation, "run", capture)
    dbt = DbtCliResource(project_dir=os.fspath(DBT_PROJECT_DIR), dbt_executable=dbt_executable())
    with pytest.raises(RuntimeError, match="captured"), dbt_child_environment(URL):
        dbt.cli(["--version"], manifest={"nodes": {}, "sources": {}, "metadata": {}})
    assert handed, "dagster-dbt did not reach the subprocess"
    assert_only_what_dbt_needs(handed)
    assert handed["DBT_PROJECT_DIR"] == os.fspath(DBT_PROJECT_DIR)  # dagster-dbt's own
    # This process keeps its environment.
    assert os.environ["ANTHROPIC_API_KEY"] == SECRETS["ANTHROPIC_API_KEY"]
    assert os.environ["CERNIQ_DATABASE_URL"] == URL
    assert "CERNIQ_DBT_HOST" not in os.environ
