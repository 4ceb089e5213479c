"""Issue 15: rows of the app's source tables that would corrupt results (a message without a
body, a row whose client belongs to another tenant, a negative or non-RON order, an NPS score
outside 0-10, an invoice due before it was issued) are recorded as rejected, never used as data.

The rules are database functions (migration 013); dbt's fct_rejected_source_rows lists the rows
they reject and the staging views leave those rows out, so the rest of the run proceeds without
them. This step records them in cerniq_rejected_source_rows (first and last seen), marks
resolved the ones no longer rejected, and reports the counts by table and rule.
"""

from dagster import AssetExecutionContext, MaterializeResult, MetadataValue

from dagster_cerniq.defs.write_back_asset import write_back_asset
from dagster_cerniq.lib.resources import CerniqDatabase
from dagster_cerniq.lib.write_back import Reads, execute, fetch, statements, write_back

READS = Reads(models=("fct_rejected_source_rows",))
SQL = statements(__file__, READS)
RECORD_REJECTED = SQL("record_rejected_rows")
RESOLVE_ACCEPTED = SQL("resolve_accepted_rows")
OPEN_BY_RULE = SQL("open_rejections_by_rule")


@write_back_asset(
    key="rejected_source_rows",
    worker="quality",
    reads=READS,
    description=(
        "Source rows a rule rejects (fct_rejected_source_rows) recorded in "
        "cerniq_rejected_source_rows with their rule, first and last seen; rows no longer "
        "rejected marked resolved."
    ),
)
def rejected_source_rows(
    context: AssetExecutionContext, database: CerniqDatabase
) -> MaterializeResult:
    with write_back(context, database) as (conn, scope):
        ((new, seen),) = fetch(conn, RECORD_REJECTED, scope)
        resolved = execute(conn, RESOLVE_ACCEPTED, scope)
        by_rule = fetch(conn, OPEN_BY_RULE, scope)
    if seen:
        context.log.warning(
            f"{seen} source row(s) rejected ({new} new): see cerniq_rejected_source_rows"
        )
    return MaterializeResult(
        metadata={
            "rejected_rows": seen,
            "rejected_rows_new": new,
            "rejected_rows_resolved": resolved,
            "rejected_rows_by_table_and_rule": MetadataValue.json(
                {f"{table} {rule}": rows for table, rule, rows in by_rule}
            ),
        }
    )
