"""How dbt nodes appear in Dagster: each model in the group of its domain folder
(`models/marts/churn/…` → `churn`; staging views → `staging`; parameter seeds → `parameters`),
tagged with the seed worker its dbt tag names (`worker_b9` → `cerniq/worker: B9`), and its data
tests as asset checks. No model name is written here: the folders and tags say it all."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from dagster_dbt import DagsterDbtTranslator, DagsterDbtTranslatorSettings

WORKER_TAG = "cerniq/worker"
DBT_WORKER_TAG_PREFIX = "worker_"
SEED_GROUP = "parameters"
STAGING_GROUP = "staging"
# Seed workers are named by category letter and number (A1, B10); follow-ups by their domain.
SEED_WORKER_ID = re.compile(r"[a-z]\d+")


def worker_name(dbt_tag: str) -> str:
    """The worker a dbt tag names: `worker_b9` → `B9`, `worker_onboarding` → `onboarding`."""
    name = dbt_tag.removeprefix(DBT_WORKER_TAG_PREFIX)
    return name.upper() if SEED_WORKER_ID.fullmatch(name) else name


class CerniqDbtTranslator(DagsterDbtTranslator):
    def __init__(self) -> None:
        super().__init__(settings=DagsterDbtTranslatorSettings(enable_asset_checks=True))

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        if dbt_resource_props["resource_type"] == "seed":
            return SEED_GROUP
        # fqn: [project, layer, domain folder, …, model]
        _, layer, *folders = dbt_resource_props["fqn"]
        if layer == "staging" or len(folders) < 2:
            return STAGING_GROUP
        return folders[0]

    def get_tags(self, dbt_resource_props: Mapping[str, Any]) -> Mapping[str, str]:
        tags = dict(super().get_tags(dbt_resource_props))
        workers = sorted(
            worker_name(tag)
            for tag in dbt_resource_props.get("tags", [])
            if tag.startswith(DBT_WORKER_TAG_PREFIX)
        )
        if workers:
            tags[WORKER_TAG] = "-".join(workers)
        return tags
