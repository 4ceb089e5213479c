"""A6 `state:transition:execute`: the transitions dbt's fct_state_eligibility proposes (A2
`lifecycle:state:evaluate`), applied where the state is still the one evaluated, one
STATE_TRANSITION audit row each; then their follow-ups: AT_RISK opens a churn-intervention task
(`hitl:churn:intervention`), LOYAL_CLIENT a referral eligibility check, ADVOCATE a KOL profile,
CHURNED a win-back campaign, REACTIVATED closes it."""

from dagster import AssetExecutionContext, MaterializeResult, MetadataValue

from dagster_cerniq.defs.hitl import tasks
from dagster_cerniq.defs.write_back_asset import write_back_asset
from dagster_cerniq.lib.resources import CerniqDatabase
from dagster_cerniq.lib.write_back import Reads, execute, fetch, stage, statements, write_back

READS = Reads(
    models=(
        "fct_state_eligibility",
        "fct_churn_scores",
        "fct_kol_scores",
        "fct_client_order_metrics",
        "winback_campaign_steps",
    ),
    after=("churn_factors",),
    includes=(tasks.READS,),
)
SQL = statements(__file__, READS)
APPLY_TRANSITIONS = SQL("apply_transitions")
THIS_RUN_TRANSITIONS = SQL("this_run_transitions")
INTERVENTION_CANDIDATES = SQL("intervention_task_candidates")
QUEUE_REFERRAL_CHECKS = SQL("queue_referral_eligibility_checks")
PROMOTE_ADVOCATES = SQL("promote_advocates")
MIRROR_KOL_SCORES = SQL("mirror_kol_scores")
START_WINBACKS = SQL("start_winbacks")
CLOSE_WINBACKS = SQL("close_winbacks")
TRANSITIONS_BY_PAIR = SQL("transitions_by_pair")


@write_back_asset(
    key="state_transitions",
    worker="A6",
    reads=READS,
    description=(
        "A6: eligible transitions applied where the state is still the one evaluated, one "
        "STATE_TRANSITION audit row each; AT_RISK opens a churn-intervention task, "
        "LOYAL_CLIENT a referral eligibility check, ADVOCATE a KOL profile, CHURNED a win-back."
    ),
)
def state_transitions(
    context: AssetExecutionContext, database: CerniqDatabase
) -> MaterializeResult:
    with write_back(context, database) as (conn, scope):
        transitions = execute(conn, APPLY_TRANSITIONS, scope)
        stage(conn, "this_run_transitions", THIS_RUN_TRANSITIONS, scope)
        stage(conn, tasks.CANDIDATES_TABLE, INTERVENTION_CANDIDATES, scope)
        interventions = tasks.open_or_raise_tasks(
            conn, scope, task_type="CHURN_INTERVENTION", source_worker="hitl:churn:intervention"
        )
        referral_checks = execute(conn, QUEUE_REFERRAL_CHECKS, scope)
        profiles = execute(conn, PROMOTE_ADVOCATES, scope)
        execute(conn, MIRROR_KOL_SCORES, scope)
        winbacks = execute(conn, START_WINBACKS, scope)
        reactivations = execute(conn, CLOSE_WINBACKS, scope)
        by_pair = fetch(conn, TRANSITIONS_BY_PAIR, scope)
    return MaterializeResult(
        metadata={
            "transitions": transitions,
            "transitions_by_pair": MetadataValue.json(dict(by_pair)),
            "churn_intervention_tasks_opened": interventions.opened,
            "churn_tasks_raised": interventions.raised,
            "referral_eligibility_checks": referral_checks,
            "kol_profiles_written": profiles,
            "winback_campaigns_started": winbacks,
            "winback_campaigns_won": reactivations,
        }
    )
