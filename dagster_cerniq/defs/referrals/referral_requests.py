"""`referral:eligibility:check`: LOYAL_CLIENT and ADVOCATE clients not asked within the tenant's
interval get a REFERRAL_REQUEST action, sent through the channel (dbt mart
fct_referral_requests_due), naming the neighbours the geography step suggested, whose consent is
then awaited; the REFERRAL_ELIGIBILITY_CHECK actions A6 queued are answered;
referrals past expires_at expire (fct_referrals_expiring). Converted referrals reach the
state's successful_referrals through the nurturing_state step."""

from dagster import AssetExecutionContext, MaterializeResult

from dagster_cerniq.defs.write_back_asset import write_back_asset
from dagster_cerniq.lib.outbox import ChannelAdapter
from dagster_cerniq.lib.resources import CerniqDatabase
from dagster_cerniq.lib.write_back import Reads, execute, statements, write_back

READS = Reads(
    models=("fct_referral_requests_due", "fct_referrals_expiring"),
    after=("state_transitions", "geography"),
)
SQL = statements(__file__, READS)
REQUEST_REFERRALS = SQL("request_referrals")
REQUESTS_TO_SEND = SQL("referral_requests_to_send")
MARK_SENT = SQL("mark_referral_requests_sent")
ASK_NEIGHBOR_REFERRALS = SQL("ask_neighbor_referrals")
ANSWER_CHECKS = SQL("answer_eligibility_checks")
EXPIRE_REFERRALS = SQL("expire_referrals")


@write_back_asset(
    key="referral_requests",
    worker="referrals",
    reads=READS,
    description=(
        "referral:eligibility:check: LOYAL and ADVOCATE clients not asked within the interval "
        "get a REFERRAL_REQUEST naming their neighbour suggestions (sent through the outbox); "
        "A6's eligibility checks answered; "
        "referrals past expires_at expire."
    ),
)
def referral_requests(
    context: AssetExecutionContext, database: CerniqDatabase, channel: ChannelAdapter
) -> MaterializeResult:
    with write_back(context, database) as (conn, scope):
        requested = execute(conn, REQUEST_REFERRALS, scope)
        neighbours_asked = execute(conn, ASK_NEIGHBOR_REFERRALS, scope)
        sent = channel.send(conn, REQUESTS_TO_SEND, MARK_SENT, scope)
        checks = execute(conn, ANSWER_CHECKS, scope)
        expired = execute(conn, EXPIRE_REFERRALS, scope)
    return MaterializeResult(
        metadata={
            "referral_requests": requested,
            "neighbor_referrals_asked": neighbours_asked,
            "referral_requests_sent": sent,
            "eligibility_checks_answered": checks,
            "referrals_expired": expired,
        }
    )
