"""B10 `churn:score:calculate`, one client at a time: the seed's weighted mean over the client's
active signals plus the behavioural factors, the risk band, the gold_churn_factors upsert, the
state's churn fields (step 8) and the escalation (step 9, the `churn:risk:escalate` job).

Deviations, each a SPEC precision: every client with a state is scored each run (days since the
last order changes daily, so does the score); weights, values and bands come from the seeds; the
strongest signal is the truly strongest; the score is rounded to 2 decimals, as stored.
"""

import json
from collections.abc import Iterator
from decimal import Decimal
from uuid import UUID

import psycopg

from benchmarks.baseline.context import RunContext
from benchmarks.baseline.hitl import open_or_raise_churn_task
from benchmarks.baseline.params import rounded

FOUR_PLACES = Decimal("0.0001")

STATES = "select tenant_id, client_id from gold_nurturing_state where tenant_id = any(%(tenants)s)"

ACTIVE_SIGNALS = """
    select signal_type::text, strength, evidence_source_id, evidence_text
    from gold_churn_signals
    where tenant_id = %s and client_id = %s and not is_resolved
"""

STATE = """
    select id, last_order_at, satisfaction_trend, at_risk_since
    from gold_nurturing_state where tenant_id = %s and client_id = %s
"""

UPSERT_FACTORS = """
    insert into gold_churn_factors (
        tenant_id, client_id, overall_churn_score, risk_level, communication_score,
        sentiment_score, order_frequency_score, payment_behavior_score, engagement_score,
        support_score, factor_breakdown, days_since_last_order, active_signal_count,
        strongest_signal_type, strongest_signal_strength, segment, calculated_at)
    select %(tenant)s, %(client)s, %(score)s, %(level)s, %(COMMUNICATION_FADE)s,
           %(NEGATIVE_SENTIMENT)s, %(ORDER_FREQUENCY_DROP)s, %(PAYMENT_DELAY)s,
           %(DAYS_INACTIVE)s, %(SUPPORT_ESCALATION)s, %(breakdown)s, %(days)s, %(signals)s,
           %(strongest_type)s, %(strongest_strength)s, c.segment, %(logical_time)s
    from gold_clients c where c.id = %(client)s
    on conflict (tenant_id, client_id) do update set
        overall_churn_score = excluded.overall_churn_score,
        risk_level = excluded.risk_level,
        communication_score = excluded.communication_score,
        sentiment_score = excluded.sentiment_score,
        order_frequency_score = excluded.order_frequency_score,
        payment_behavior_score = excluded.payment_behavior_score,
        engagement_score = excluded.engagement_score,
        support_score = excluded.support_score,
        factor_breakdown = excluded.factor_breakdown,
        days_since_last_order = excluded.days_since_last_order,
        active_signal_count = excluded.active_signal_count,
        strongest_signal_type = excluded.strongest_signal_type,
        strongest_signal_strength = excluded.strongest_signal_strength,
        segment = excluded.segment,
        calculated_at = excluded.calculated_at,
        updated_at = now()
"""

UPDATE_STATE = """
    update gold_nurturing_state set
        churn_risk_score = %(score)s, churn_risk_level = %(level)s, is_at_risk = %(at_risk)s,
        at_risk_since = %(at_risk_since)s, days_since_last_order = %(days)s, updated_at = now()
    where id = %(state)s
"""

# The factor columns of gold_churn_factors, filled from the breakdown.
FACTOR_COLUMNS = (
    "COMMUNICATION_FADE",
    "NEGATIVE_SENTIMENT",
    "ORDER_FREQUENCY_DROP",
    "PAYMENT_DELAY",
    "DAYS_INACTIVE",
    "SUPPORT_ESCALATION",
)


def score_jobs(conn: psycopg.Connection, ctx: RunContext) -> Iterator[tuple[UUID, UUID]]:
    yield from conn.execute(STATES, ctx.params_sql).fetchall()


def handle_score(ctx: RunContext):
    def handle(conn: psycopg.Connection, job: tuple[UUID, UUID]) -> None:
        with conn.transaction():
            calculate(conn, ctx, *job)

    return handle


def calculate(conn: psycopg.Connection, ctx: RunContext, tenant_id: UUID, client_id: UUID):
    params = ctx.params
    signals = conn.execute(ACTIVE_SIGNALS, (tenant_id, client_id)).fetchall()
    state_id, last_order_at, trend, at_risk_since = conn.execute(
        STATE, (tenant_id, client_id)
    ).fetchone()

    # factor -> [sum of value x weight, sum of weight, terms]
    factors: dict[str, list] = {}

    def add(factor: str, value: Decimal, weight: Decimal) -> None:
        totals = factors.setdefault(factor, [Decimal(0), Decimal(0), 0])
        totals[0] += value * weight
        totals[1] += weight
        totals[2] += 1

    counted = [row for row in signals if row[0] in params.rules]
    for signal_type, strength, _, _ in counted:
        add(signal_type, strength, params.rules[signal_type].weight)
    days = ctx.days_since(last_order_at)
    threshold = params.int_var("days_inactive_threshold")
    if days > threshold:
        inactivity = min(
            params.var("days_inactive_max"),
            (days - threshold) * params.var("days_inactive_points_per_day"),
        )
        add("DAYS_INACTIVE", inactivity, params.var("days_inactive_weight"))
    if trend == "DECLINING":
        add(
            "SATISFACTION_DECLINING",
            params.var("satisfaction_declining_value"),
            params.var("satisfaction_declining_weight"),
        )

    total_weight = sum((totals[1] for totals in factors.values()), Decimal(0))
    weighted = sum((totals[0] for totals in factors.values()), Decimal(0))
    score = rounded(weighted / total_weight) if total_weight else rounded(Decimal(0))
    band = params.band(score)
    breakdown = {
        factor: {
            "value": rounded(contribution / weight),
            "weight": weight,
            "contribution": rounded(contribution, FOUR_PLACES),
            "count": terms,
        }
        for factor, (contribution, weight, terms) in factors.items()
    }
    strongest = min(
        counted,
        key=lambda row: (-row[1], -params.rules[row[0]].weight, row[0], row[2]),
        default=None,
    )
    conn.execute(
        UPSERT_FACTORS,
        {
            "tenant": tenant_id,
            "client": client_id,
            "score": score,
            "level": band.risk_level,
            **{column: _value(breakdown, column) for column in FACTOR_COLUMNS},
            "breakdown": json.dumps(breakdown, default=str),
            "days": days,
            "signals": len(counted),
            "strongest_type": strongest[0] if strongest else None,
            "strongest_strength": strongest[1] if strongest else None,
            "logical_time": ctx.logical_time,
        },
    )
    if band.escalation == "ALWAYS" or (band.escalation == "ON_ENTRY" and at_risk_since is None):
        open_or_raise_churn_task(
            conn,
            ctx,
            tenant_id,
            client_id,
            task_type="CHURN_ESCALATION",
            source_worker="churn:risk:escalate",
            band=band,
            score=score,
            strongest_signal_type=strongest[0] if strongest else None,
            strongest_signal_evidence=strongest[3] if strongest else None,
            breakdown=breakdown,
            reason=f"Churn risk {band.risk_level} (score {score})",
        )
    conn.execute(
        UPDATE_STATE,
        {
            "state": state_id,
            "score": score,
            "level": band.risk_level,
            "at_risk": band.is_at_risk,
            "at_risk_since": (at_risk_since or ctx.logical_time) if band.is_at_risk else None,
            "days": days,
        },
    )


def _value(breakdown: dict, factor: str) -> Decimal | None:
    return breakdown[factor]["value"] if factor in breakdown else None
