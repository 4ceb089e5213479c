"""B9 `churn:signal:detect`: the signals of dbt's fct_churn_signal_candidates upserted by key into
gold_churn_signals; those no longer detected resolved; each message analysis linked to the signal
it produced (gold_sentiment_analysis.generated_churn_signal_id, seed B12 step 3).

The rules live in the dbt marts; these statements only make the stored rows match them, in one
transaction, touching nothing that already matches (a rerun rewrites nothing).
"""

from dagster import AssetExecutionContext, MaterializeResult, MetadataValue

from dagster_cerniq.defs.write_back_asset import write_back_asset
from dagster_cerniq.lib.resources import CerniqDatabase
from dagster_cerniq.lib.write_back import Reads, execute, fetch, statements, write_back

READS = Reads(
    models=("fct_churn_signal_candidates", "churn_signal_rules"),
    after=("nurturing_state", "sentiment_analysis"),
)
SQL = statements(__file__, READS)
UPDATE_REDETECTED = SQL("update_redetected_signals")
REOPEN_RECURRING = SQL("reopen_recurring_signals")
INSERT_NEW = SQL("insert_new_signals")
RESOLVE_CLEARED = SQL("resolve_cleared_signals")
ACTIVE_BY_TYPE = SQL("active_signals_by_type")
LINK_ANALYSES = SQL("link_analyses_to_signals")


@write_back_asset(
    key="churn_signals",
    worker="B9",
    reads=READS,
    description=(
        "B9: detected churn signals upserted by key into gold_churn_signals; cleared ones resolved."
    ),
)
def churn_signals(context: AssetExecutionContext, database: CerniqDatabase) -> MaterializeResult:
    with write_back(context, database) as (conn, scope):
        updated = execute(conn, UPDATE_REDETECTED, scope)
        reopened = execute(conn, REOPEN_RECURRING, scope)
        inserted = execute(conn, INSERT_NEW, scope)
        resolved = execute(conn, RESOLVE_CLEARED, scope)
        linked = execute(conn, LINK_ANALYSES, scope)
        active = fetch(conn, ACTIVE_BY_TYPE, scope)
    return MaterializeResult(
        metadata={
            "signals_inserted": inserted,
            "signals_updated": updated,
            "signals_reopened": reopened,
            "signals_resolved": resolved,
            "analyses_linked_to_signals": linked,
            "active_signals_by_type": MetadataValue.json(dict(active)),
        }
    )
