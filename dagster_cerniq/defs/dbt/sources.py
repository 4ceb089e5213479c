"""The Cerniq app's tables that the dbt models read (dbt sources), as external assets in the
group `sources`, so the lineage graph starts where the data does. Sources that a write-back
asset writes (`meta.dagster.asset_key`) are that asset, not one of these."""

import json

from dagster import AssetSpec

from dagster_cerniq.defs.dbt.project import cerniq_dbt_project
from dagster_cerniq.defs.dbt.translator import CerniqDbtTranslator

SOURCE_GROUP = "sources"


def source_specs() -> list[AssetSpec]:
    project = cerniq_dbt_project()
    manifest = json.loads(project.manifest_path.read_text(encoding="utf-8"))
    translator = CerniqDbtTranslator()
    return [
        AssetSpec(
            key=translator.get_asset_spec(manifest, unique_id, project).key,
            group_name=SOURCE_GROUP,
            description=props.get("description") or None,
            kinds={"postgres"},
        )
        for unique_id, props in sorted(manifest["sources"].items())
        if "asset_key" not in props.get("meta", {}).get("dagster", {})
    ]


cerniq_app_tables = source_specs()
