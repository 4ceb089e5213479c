"""B10 `churn:score:calculate`: dbt's fct_churn_scores upserted into gold_churn_factors (with
churn_prediction's probability and date in the seed's prediction columns) and mirrored into the
state's churn fields; the day's row of the score history; CRITICAL or newly HIGH clients
escalated to a HITL task (`churn:risk:escalate`)."""

from dagster import AssetExecutionContext, MaterializeResult, MetadataValue

from dagster_cerniq.defs.hitl import tasks
from dagster_cerniq.defs.write_back_asset import write_back_asset
from dagster_cerniq.lib.resources import CerniqDatabase
from dagster_cerniq.lib.write_back import Reads, execute, fetch, stage, statements, write_back

READS = Reads(models=("fct_churn_scores",), after=("churn_prediction",), includes=(tasks.READS,))
SQL = statements(__file__, READS)
UPSERT_FACTORS = SQL("upsert_churn_factors")
RECORD_SCORE_HISTORY = SQL("record_score_history")
ESCALATION_CANDIDATES = SQL("escalation_task_candidates")
UPDATE_STATE_CHURN_FIELDS = SQL("update_state_churn_fields")
RISK_LEVELS = SQL("risk_levels")
TOP_AT_RISK = SQL("top_at_risk")


@write_back_asset(
    key="churn_factors",
    worker="B10",
    reads=READS,
    description=(
        "B10: churn scores upserted into gold_churn_factors and the state's churn fields; "
        "CRITICAL or newly HIGH clients escalated to a HITL task."
    ),
)
def churn_factors(context: AssetExecutionContext, database: CerniqDatabase) -> MaterializeResult:
    with write_back(context, database) as (conn, scope):
        factors = execute(conn, UPSERT_FACTORS, scope)
        history = execute(conn, RECORD_SCORE_HISTORY, scope)
        stage(conn, tasks.CANDIDATES_TABLE, ESCALATION_CANDIDATES, scope)
        escalations = tasks.open_or_raise_tasks(
            conn, scope, task_type="CHURN_ESCALATION", source_worker="churn:risk:escalate"
        )
        states = execute(conn, UPDATE_STATE_CHURN_FIELDS, scope)
        levels = fetch(conn, RISK_LEVELS, scope)
        top = fetch(conn, TOP_AT_RISK, scope)
    return MaterializeResult(
        metadata={
            "factor_rows_written": factors,
            "score_history_rows_written": history,
            "state_rows_updated": states,
            "escalation_tasks_opened": escalations.opened,
            "escalation_tasks_raised": escalations.raised,
            "risk_levels": MetadataValue.json(dict(levels)),
            "top_at_risk": MetadataValue.md(
                "| client | score | level | strongest signal |\n|---|---|---|---|\n"
                + "\n".join(f"| {name} | {score} | {level} | {signal or '-'} |"
                            for name, score, level, signal in top)
            ),
        }
    )  # fmt: skip
