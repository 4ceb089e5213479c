"""The mapping from a run's tenants and as-of date to dbt vars and profile environment."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest

from dagster_cerniq.defs.dbt.project import dbt_env, dbt_vars


def test_vars_sort_and_deduplicate_tenants() -> None:
    a, b = sorted(str(uuid.uuid4()) for _ in range(2))
    assert dbt_vars([b, a, b], dt.date(2026, 3, 1)) == {"tenant_ids": [a, b], "as_of": "2026-03-01"}


def test_no_tenant_means_every_tenant() -> None:
    assert dbt_vars([], dt.date(2026, 3, 1))["tenant_ids"] == []


def test_tenant_ids_are_normalised_uuids() -> None:
    tenant = uuid.uuid4()
    assert dbt_vars([tenant.hex], dt.date(2026, 3, 1))["tenant_ids"] == [str(tenant)]


def test_a_non_uuid_tenant_is_refused() -> None:
    with pytest.raises(ValueError):
        dbt_vars(["x'; drop table tenants; --"], dt.date(2026, 3, 1))


def test_profile_environment_from_a_url() -> None:
    env = dbt_env("postgresql://app:s%40cret@db.example.ro:6432/cerniq?sslmode=require")
    assert env["CERNIQ_DBT_HOST"] == "db.example.ro"
    assert env["CERNIQ_DBT_PORT"] == "6432"
    assert env["CERNIQ_DBT_USER"] == "app"
    assert env["CERNIQ_DBT_PASSWORD"] == "s@cret"
    assert env["CERNIQ_DBT_DBNAME"] == "cerniq"
    assert env["CERNIQ_DBT_SSLMODE"] == "require"
