"""The backtest as the Dagster asset: its replay of a date stores the same seed score, band and
prediction as a live run as of that date, and its figures, table and picture are written."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pandas as pd
import psycopg
from dagster import DagsterInstance, materialize

from dagster_cerniq.defs.churn.backtest import churn_backtest
from dagster_cerniq.lib.resources import CerniqDatabase
from dagster_cerniq.ops.pipeline import run_pipeline
from tests.conftest import GENERATED_AS_OF, generated

REPLAYED = GENERATED_AS_OF - dt.timedelta(days=200)


def test_the_backtest_replays_what_a_live_run_stores(admin_url, tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("CERNIQ_REPORT_DIR", str(tmp_path))
    with generated(admin_url, tenants=1, clients_per_tenant=150) as (url, (tenant,)):
        (live_run,) = run_pipeline(url, [tenant], REPLAYED)
        assert live_run.success, live_run.error
        with psycopg.connect(url) as conn:
            live = pd.DataFrame(
                conn.execute(
                    "select client_id::text, overall_churn_score, risk_level,"
                    " prediction_confidence from gold_churn_factors where tenant_id = %s",
                    (tenant,),
                ).fetchall(),
                columns=["client_id", "overall_churn_score", "risk_level", "prediction_confidence"],
            )
        assert live["prediction_confidence"].notna().all()

        instance = DagsterInstance.ephemeral()
        instance.add_dynamic_partitions("tenants", [str(tenant)])
        result = materialize(
            [churn_backtest],
            partition_key=str(tenant),
            instance=instance,
            resources={"database": CerniqDatabase(url=url)},
            run_config={
                "ops": {
                    "churn_backtest": {
                        "config": {
                            "from_date": REPLAYED.isoformat(),
                            "to_date": REPLAYED.isoformat(),
                            "what_if": ["days_inactive_threshold=90"],
                        }
                    }
                }
            },
        )
        assert result.success
        metadata = result.asset_materializations_for_node("churn_backtest")[0].metadata
        picture = metadata["picture"].value
        table = pd.read_csv(metadata["table"].value)
        figures = json.loads(Path(picture).with_name("backtest.json").read_text("utf-8"))

    replayed = table[table["parameters"] == "current"]
    merged = live.merge(replayed, on="client_id", suffixes=("_live", "_replayed"))
    assert len(merged) == len(live) == len(replayed)
    assert (
        merged["overall_churn_score_live"].astype(float) == merged["overall_churn_score_replayed"]
    ).all()
    assert (merged["risk_level_live"] == merged["risk_level_replayed"]).all()
    assert (
        merged["prediction_confidence_live"].astype(float)
        == merged["prediction_confidence_replayed"]
    ).all()
    # The what-if raised the DAYS_INACTIVE threshold to 90 days: scores move, and a client
    # whose only term was DAYS_INACTIVE at 31-90 days now has none (a weighted mean may rise when
    # a term below it goes, so only the zeros are monotone).
    what_if = table[table["parameters"] == "what-if"].set_index("client_id")
    current = replayed.set_index("client_id").loc[what_if.index]
    assert (what_if["overall_churn_score"] != current["overall_churn_score"]).any()
    assert (what_if["overall_churn_score"] == 0).sum() > (current["overall_churn_score"] == 0).sum()
    assert figures["what_if_parameters"] == {"days_inactive_threshold": 90}
    assert 0 < metadata["current_seed_score_auc"].value <= 1
    assert 0 < metadata["current_prediction_auc"].value <= 1
    assert picture.endswith("backtest.png")
