"""A1 `lifecycle:order:completed`: a state in ONBOARDING at a client's first completed order,
with its order, NPS and referral mirrors; one POST_ORDER NPS survey per completed order; and the
onboarding sequence (onboarding.py)."""

from dagster import AssetExecutionContext, MaterializeResult, MetadataValue

from dagster_cerniq.defs.lifecycle import onboarding
from dagster_cerniq.defs.write_back_asset import write_back_asset
from dagster_cerniq.lib.outbox import ChannelAdapter
from dagster_cerniq.lib.resources import CerniqDatabase
from dagster_cerniq.lib.write_back import Reads, execute, fetch, stage, statements, write_back

READS = Reads(
    models=(
        "fct_client_order_metrics",
        "fct_client_nps",
        "fct_nps_surveys_due",
        "int_client_referrals",
        "fct_onboarding_progress",
    ),
    includes=(onboarding.READS,),
)
SQL = statements(__file__, READS)
CREATE_STATES = SQL("create_states")
REFRESH_MIRRORS = SQL("refresh_mirrors")
SURVEYS_TO_SCHEDULE = SQL("nps_surveys_to_schedule")
SCHEDULE_SURVEYS = SQL("schedule_nps_surveys")
STATES_BY_LIFECYCLE_STATE = SQL("states_by_lifecycle_state")


@write_back_asset(
    key="nurturing_state",
    worker="A1",
    reads=READS,
    description=(
        "A1: a state in ONBOARDING at a client's first completed order; order, NPS and "
        "referral mirrors refreshed; one POST_ORDER NPS survey per completed order; the "
        "onboarding sequence scheduled, sent as due, and onboarding_completed_at set at its end."
    ),
)
def nurturing_state(
    context: AssetExecutionContext, database: CerniqDatabase, channel: ChannelAdapter
) -> MaterializeResult:
    with write_back(context, database) as (conn, scope):
        created = execute(conn, CREATE_STATES, scope)
        refreshed = execute(conn, REFRESH_MIRRORS, scope)
        stage(conn, "nps_surveys_to_schedule", SURVEYS_TO_SCHEDULE, scope)
        surveys = execute(conn, SCHEDULE_SURVEYS, scope)
        steps = onboarding.advance_onboarding(conn, scope, channel)
        states = fetch(conn, STATES_BY_LIFECYCLE_STATE, scope)
    return MaterializeResult(
        metadata={
            "states_created": created,
            "states_refreshed": refreshed,
            "nps_surveys_scheduled": surveys,
            "onboarding_steps_scheduled": steps.steps_scheduled,
            "onboarding_steps_sent": steps.steps_sent,
            "onboarding_steps_skipped_or_cancelled": steps.steps_closed,
            "onboardings_completed": steps.completed,
            "states": MetadataValue.json(dict(states)),
        }
    )
