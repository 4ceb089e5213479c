"""A2 `lifecycle:state:evaluate`, one state at a time (trigger SCHEDULED, after this run's
B9/B10): the seed's switch, with SPEC's precisions. A state changed by this run (or created by
it) waits for the next run; onboarding completes when the onboarding sequence's last step is
due (the seed's `onboardingCompletedAt`, set here when it is); CHURNED and REACTIVATED move on a
completed order after the state changed."""

from collections.abc import Iterator
from uuid import UUID

import psycopg

from benchmarks.baseline.context import RunContext, Transition, utc_date

STATES = "select tenant_id, client_id from gold_nurturing_state where tenant_id = any(%(tenants)s)"

STATE = """
    select id, current_state::text, state_changed_at, onboarding_started_at,
           onboarding_completed_at, total_orders, nps_score, successful_referrals,
           churn_risk_score, days_since_last_order, last_order_at
    from gold_nurturing_state where tenant_id = %s and client_id = %s
"""

ACTIVE_SIGNALS = """
    select id from gold_churn_signals
    where tenant_id = %s and client_id = %s and not is_resolved
"""

COMPLETE_ONBOARDING = """
    update gold_nurturing_state set onboarding_completed_at = %s, updated_at = now()
    where id = %s
"""


def evaluation_jobs(conn: psycopg.Connection, ctx: RunContext) -> Iterator[tuple[UUID, UUID]]:
    yield from conn.execute(STATES, ctx.params_sql).fetchall()


def handle_evaluation(ctx: RunContext):
    def handle(conn: psycopg.Connection, job: tuple[UUID, UUID]) -> None:
        tenant_id, client_id = job
        with conn.transaction():
            transition = evaluate(conn, ctx, tenant_id, client_id)
        if transition is not None:
            ctx.hand_on(ctx.transitions, transition)

    return handle


def evaluate(
    conn: psycopg.Connection, ctx: RunContext, tenant_id: UUID, client_id: UUID
) -> Transition | None:
    (
        state_id,
        current,
        changed_at,
        onboarding_started_at,
        onboarding_completed_at,
        total_orders,
        nps,
        referrals,
        score,
        days_since_last_order,
        last_order_at,
    ) = conn.execute(STATE, (tenant_id, client_id)).fetchone()
    signals = conn.execute(ACTIVE_SIGNALS, (tenant_id, client_id)).fetchall()
    if changed_at >= ctx.logical_time:
        return None  # one step per run
    v = ctx.params.int_var
    new_state, reason = current, ""
    if current == "ONBOARDING":
        if onboarding_completed_at is None:
            due = ctx.params.onboarding_complete_at(onboarding_started_at)
            if utc_date(due) <= ctx.as_of:
                conn.execute(COMPLETE_ONBOARDING, (due, state_id))
                onboarding_completed_at = due
        if onboarding_completed_at is not None and onboarding_completed_at < ctx.logical_time:
            new_state, reason = "NURTURING_ACTIVE", "Onboarding completed"
    elif current == "NURTURING_ACTIVE":
        if signals and ctx.params.band(score).is_at_risk:
            new_state, reason = "AT_RISK", f"Churn risk detected: {score}"
        elif total_orders >= v("loyal_min_orders") and _at_least(nps, v("loyal_min_nps")):
            new_state, reason = "LOYAL_CLIENT", "Loyalty criteria met"
    elif current == "AT_RISK":
        if not signals and score < v("risk_resolved_max_score"):
            new_state, reason = "NURTURING_ACTIVE", "Risk resolved"
        elif days_since_last_order > v("churned_min_days"):
            new_state, reason = "CHURNED", f"Dormant for {days_since_last_order} days"
    elif current == "LOYAL_CLIENT":
        if referrals >= v("advocate_min_referrals") and _at_least(nps, v("advocate_min_nps")):
            new_state, reason = "ADVOCATE", "Advocate criteria met"
        elif ctx.params.band(score).is_at_risk and score >= v("loyal_at_risk_min_score"):
            new_state, reason = "AT_RISK", "Churn risk increased"
    elif current == "CHURNED":
        if last_order_at > changed_at:
            new_state, reason = "REACTIVATED", "Win-back: completed order after churn"
    elif current == "REACTIVATED" and last_order_at > changed_at:
        new_state, reason = "NURTURING_ACTIVE", "Reactivation confirmed by order"
    if new_state == current:
        return None
    return Transition(tenant_id, client_id, state_id, current, new_state, reason)


def _at_least(nps: int | None, minimum: int) -> bool:
    """The seed's `state.npsScore >= n`: no answer yet is not enough."""
    return nps is not None and nps >= minimum
