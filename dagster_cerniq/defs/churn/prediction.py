"""The churn prediction (SPEC §5, issue 14), beside B10's seed score: per client with a state,
the calibrated probability that it has no completed order over the horizon, its predicted churn
date, revenue at risk and expected loss, in cerniq_churn_predictions; churn_factors copies them
into gold_churn_factors' seed columns and the score history. Features are dbt's
(fct_churn_prediction_features); fitting and scoring are scikit-learn's (defs/churn/model.py).
"""

import io

import pandas as pd
from dagster import AssetExecutionContext, MaterializeResult, MetadataValue
from matplotlib.figure import Figure  # the object API: no display, no global state

from dagster_cerniq.defs.churn import model
from dagster_cerniq.defs.dbt.project import dbt_var_defaults
from dagster_cerniq.defs.write_back_asset import write_back_asset
from dagster_cerniq.lib.reports import report_dir
from dagster_cerniq.lib.resources import CerniqDatabase
from dagster_cerniq.lib.write_back import (
    Reads,
    execute,
    fetch,
    statements,
    write_back,
)

READS = Reads(models=("fct_churn_prediction_features",))
SQL = statements(__file__, READS)
PREDICTION_FEATURES = SQL("prediction_features")
STAGE_PREDICTIONS = SQL("stage_churn_predictions")
UPSERT_PREDICTIONS = SQL("upsert_churn_predictions")
REMOVE_STALE_PREDICTIONS = SQL("remove_stale_predictions")
TOP_EXPECTED_LOSS = SQL("top_expected_loss")


def fit_rule() -> model.FitRule:
    settings = dbt_var_defaults()
    return model.FitRule(
        min_rows=int(settings["prediction_min_tenant_rows"]),
        min_churners=int(settings["prediction_min_tenant_churners"]),
    )


def read_model_features(conn, scope) -> pd.DataFrame:
    """What model.predict needs: the feature rows of the run's tenants. Only theirs, so that a
    prediction depends on the data and the run's tenants, never on which other tenants happen
    to be stored from earlier runs (the daily run covers every tenant)."""
    cursor = conn.execute(PREDICTION_FEATURES.compose(), scope.params)
    return model.as_frame(cursor.fetchall(), [column.name for column in cursor.description])


def probability_histogram(predictions: list[model.TenantPrediction], title: str) -> bytes:
    figure = Figure(figsize=(7, 3.5))
    axes = figure.subplots()
    for prediction in predictions:
        axes.hist(
            prediction.clients["probability"], bins=20, range=(0, 1), alpha=0.6,
            label=f"tenant {prediction.tenant_id[:8]} ({prediction.scope.lower()})",
        )  # fmt: skip
    axes.set_xlabel("probability of churning over the horizon")
    axes.set_ylabel("clients")
    axes.set_title(title)
    if len(predictions) <= 8:
        axes.legend(fontsize="small")
    buffer = io.BytesIO()
    figure.tight_layout()
    figure.savefig(buffer, format="png", dpi=100)
    return buffer.getvalue()


@write_back_asset(
    key="churn_prediction",
    worker="prediction",
    reads=READS,
    description=(
        "Churn prediction beside the seed score: per client, the calibrated probability of no "
        "completed order over the horizon, the predicted churn date, revenue at risk and "
        "expected loss (a model per tenant with enough history, else one pooled over the "
        "run's tenants)."
    ),
)
def churn_prediction(context: AssetExecutionContext, database: CerniqDatabase) -> MaterializeResult:
    rule = fit_rule()
    with write_back(context, database) as (conn, scope):
        features = read_model_features(conn, scope)
        predictions, no_model = model.predict(features, scope.tenant_ids, scope.as_of, rule)
        execute(conn, STAGE_PREDICTIONS, scope)
        with conn.cursor().copy(
            "copy new_churn_predictions (tenant_id, client_id, churn_probability,"
            " predicted_churn_date, revenue_at_risk, model_scope) from stdin"
        ) as copy:
            for prediction in predictions:
                for row in prediction.clients.itertuples(index=False):
                    copy.write_row((
                        prediction.tenant_id, row.client_id, round(float(row.probability), 5),
                        row.predicted_churn_date, row.revenue_at_risk, prediction.scope,
                    ))  # fmt: skip
        horizon = int(features["horizon_days"].iloc[0]) if len(features) else 0
        written = execute(
            conn, UPSERT_PREDICTIONS, scope, horizon_days=horizon, model_name=model.MODEL_NAME
        )
        removed = execute(conn, REMOVE_STALE_PREDICTIONS, scope)
        top = fetch(conn, TOP_EXPECTED_LOSS, scope)
    if no_model:
        context.log.warning(f"churn prediction: no model could be fitted ({no_model})")
    picture = report_dir("churn_prediction") / f"{context.run.run_id}.png"
    picture.write_bytes(
        probability_histogram(predictions, f"Churn probabilities as of {scope.as_of}")
    )
    by_tenant = "\n".join(
        f"| {p.tenant_id} | {p.scope} | {p.training_rows} | {p.training_churners} "
        f"| {len(p.clients)} | {p.clients['probability'].mean():.3f} |"
        for p in predictions
        if len(p.clients)
    )
    return MaterializeResult(
        metadata={
            "model": model.MODEL_NAME,
            "horizon_days": horizon,
            "clients_predicted": sum(len(p.clients) for p in predictions),
            "rows_written": written,
            "rows_removed": removed,
            "tenants_fitted_alone": sum(p.scope == "TENANT" for p in predictions),
            "tenants_pooled": sum(p.scope == "POOLED" for p in predictions),
            "no_model": no_model or "",
            "models_by_tenant": MetadataValue.md(
                "| tenant | model | training snapshots | of which churned | clients "
                "| mean probability |\n|---|---|---|---|---|---|\n" + by_tenant
            ),
            "probability_histogram": MetadataValue.path(str(picture)),
            "top_expected_loss": MetadataValue.md(
                "| client | churn % | predicted churn | revenue at risk | expected loss | model |\n"
                "|---|---|---|---|---|---|\n"
                + "\n".join(
                    f"| {name} | {pct} | {date or '-'} | {revenue} | {loss} | {scope_} |"
                    for name, pct, date, revenue, loss, scope_ in top
                )
            ),
        }
    )  # fmt: skip
