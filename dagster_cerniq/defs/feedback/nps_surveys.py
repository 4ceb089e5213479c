"""`feedback:nps:send` and the answers: NPS surveys due by the as-of date sent through the
channel or skipped under the frequency cap (dbt mart fct_nps_dispatch); answers recorded with
their category, and a recent detractor answer followed up by a HITL task (fct_nps_answers).

The state's NPS fields (nps_score, nps_category, satisfaction_trend, last_nps_survey_at) are
mirrored by the nurturing_state step from fct_client_nps, before this run's evaluation."""

from dagster import AssetExecutionContext, MaterializeResult

from dagster_cerniq.defs.hitl import tasks
from dagster_cerniq.defs.write_back_asset import write_back_asset
from dagster_cerniq.lib.outbox import ChannelAdapter
from dagster_cerniq.lib.resources import CerniqDatabase
from dagster_cerniq.lib.write_back import Reads, count, stage, statements, write_back

READS = Reads(models=("fct_nps_dispatch", "fct_nps_answers"), includes=(tasks.READS,))
SQL = statements(__file__, READS)
SURVEYS_TO_SEND = SQL("nps_surveys_to_send")
MARK_SENT = SQL("mark_nps_surveys_sent")
SKIP_CAPPED = SQL("skip_capped_nps_surveys")
RECORD_ANSWERS = SQL("record_nps_answers")
DETRACTOR_CANDIDATES = SQL("detractor_followup_candidates")


@write_back_asset(
    key="nps_surveys",
    worker="nps",
    reads=READS,
    description=(
        "feedback:nps:send: due NPS surveys sent through the channel (outbox) or skipped under "
        "the frequency cap; answers recorded with their category; a recent detractor answer "
        "(0-6) opens an NPS_DETRACTOR_FOLLOWUP HITL task."
    ),
)
def nps_surveys(
    context: AssetExecutionContext, database: CerniqDatabase, channel: ChannelAdapter
) -> MaterializeResult:
    with write_back(context, database) as (conn, scope):
        sent = channel.send(conn, SURVEYS_TO_SEND, MARK_SENT, scope)
        skipped = count(conn, SKIP_CAPPED, scope)
        recorded = count(conn, RECORD_ANSWERS, scope)
        stage(conn, tasks.CANDIDATES_TABLE, DETRACTOR_CANDIDATES, scope)
        followups = tasks.open_or_raise_tasks(
            conn, scope, task_type="NPS_DETRACTOR_FOLLOWUP", source_worker="feedback:nps:detractor"
        )
    return MaterializeResult(
        metadata={
            "surveys_sent": sent,
            "surveys_skipped_frequency_cap": skipped,
            "answers_recorded": recorded,
            "detractor_followup_tasks_opened": followups.opened,
        }
    )
