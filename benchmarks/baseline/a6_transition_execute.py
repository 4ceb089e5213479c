"""A6 `state:transition:execute`, one transition at a time: the state update, the
STATE_TRANSITION audit row and the state-specific follow-up jobs, run inline: AT_RISK opens
(or raises) the churn task, LOYAL_CLIENT queues the referral eligibility check, ADVOCATE is
promoted to a KOL profile, CHURNED starts a win-back, REACTIVATED closes it as won.

Deviations, each a SPEC precision: stamps are the run's logical time; the update applies only
if the state is still the one evaluated; the KOL score is the one SPEC's profile records."""

import json
from collections.abc import Iterator
from decimal import Decimal

import psycopg

from benchmarks.baseline.context import RunContext, Transition
from benchmarks.baseline.hitl import open_or_raise_churn_task
from benchmarks.baseline.params import rounded

APPLY = """
    update gold_nurturing_state set
        previous_state = current_state,
        current_state = %(to_state)s::nurturing_state_enum,
        state_changed_at = %(logical_time)s,
        is_advocate = is_advocate or %(to_state)s::text = 'ADVOCATE',
        advocate_since = case when %(to_state)s::text = 'ADVOCATE'
                              then coalesce(advocate_since, %(logical_time)s)
                              else advocate_since end,
        updated_at = now()
    where id = %(state)s and current_state::text = %(from_state)s
"""

AUDIT = """
    insert into gold_nurturing_actions (
        tenant_id, nurturing_state_id, client_id, action_type, action_category, trigger_type,
        trigger_event, trigger_data, channel, status, executed_at)
    values (%(tenant)s, %(state)s, %(client)s, 'STATE_TRANSITION', 'SYSTEM', 'EVENT',
            %(event)s, %(data)s, 'SYSTEM', 'COMPLETED', %(logical_time)s)
"""

CHURN_FACTORS = """
    select overall_churn_score, risk_level, strongest_signal_type::text, factor_breakdown
    from gold_churn_factors where tenant_id = %s and client_id = %s
"""

REFERRAL_ELIGIBILITY = """
    insert into gold_nurturing_actions (
        tenant_id, nurturing_state_id, client_id, action_type, action_category, trigger_type,
        trigger_event, channel, status, scheduled_at)
    values (%s, %s, %s, 'REFERRAL_ELIGIBILITY_CHECK', 'REFERRAL', 'EVENT', 'STATE_LOYAL_CLIENT',
            'SYSTEM', 'PENDING', %s)
"""

# The advocate's standing: its numbers and the clients of its tenant with less revenue.
ADVOCATE_FACTS = """
    select s.total_revenue, s.nps_score, s.successful_referrals, s.first_order_at,
           (select count(*) from gold_nurturing_state o
            where o.tenant_id = s.tenant_id and o.total_revenue < s.total_revenue),
           (select count(*) from gold_nurturing_state o where o.tenant_id = s.tenant_id)
    from gold_nurturing_state s where s.id = %s
"""

PROMOTE = """
    insert into gold_kol_profiles (
        tenant_id, client_id, nurturing_state_id, kol_score, kol_tier, score_components,
        successful_referrals, nps_score, total_revenue, tenure_days, promoted_at)
    values (%(tenant)s, %(client)s, %(state)s, %(score)s, %(tier)s, %(components)s,
            %(referrals)s, %(nps)s, %(revenue)s, %(tenure)s, %(logical_time)s)
    on conflict (tenant_id, client_id) do update set
        is_active = true, deactivated_at = null, kol_score = excluded.kol_score,
        kol_tier = excluded.kol_tier, score_components = excluded.score_components,
        updated_at = now()
"""

MIRROR_KOL_SCORE = """
    update gold_nurturing_state set kol_score = %s, updated_at = now() where id = %s
"""

START_WINBACK = """
    insert into gold_winback_campaigns (
        tenant_id, client_id, nurturing_state_id, triggered_by, status, steps, started_at)
    values (%s, %s, %s, 'CHURN_DETECTED', 'ACTIVE', %s, %s)
    on conflict (tenant_id, client_id) where status = 'ACTIVE' do nothing
"""

CLOSE_WINBACK = """
    update gold_winback_campaigns set
        status = 'SUCCEEDED', outcome = 'REACTIVATED', ended_at = %(logical_time)s,
        reactivated_at = %(logical_time)s, updated_at = now(),
        reactivation_order_id = (
            select id from gold_orders
            where tenant_id = %(tenant)s and client_id = %(client)s and status = 'DELIVERED'
              and delivered_at is not null and delivered_at < %(logical_time)s
            order by delivered_at desc, id desc limit 1)
    where tenant_id = %(tenant)s and client_id = %(client)s and status = 'ACTIVE'
"""


def transition_jobs(conn: psycopg.Connection, ctx: RunContext) -> Iterator[Transition]:
    yield from ctx.transitions


def handle_transition(ctx: RunContext):
    def handle(conn: psycopg.Connection, transition: Transition) -> None:
        with conn.transaction():
            execute(conn, ctx, transition)

    return handle


def execute(conn: psycopg.Connection, ctx: RunContext, move: Transition) -> None:
    applied = conn.execute(
        APPLY,
        {
            "state": move.state_id,
            "from_state": move.from_state,
            "to_state": move.to_state,
            "logical_time": ctx.logical_time,
        },
    ).rowcount
    if not applied:
        return  # another worker moved it first
    conn.execute(
        AUDIT,
        {
            "tenant": move.tenant_id,
            "state": move.state_id,
            "client": move.client_id,
            "event": f"{move.from_state} -> {move.to_state}",
            "data": json.dumps(
                {
                    "reason": move.reason,
                    "from_state": move.from_state,
                    "to_state": move.to_state,
                    "as_of": ctx.as_of.isoformat(),
                }
            ),
            "logical_time": ctx.logical_time,
        },
    )
    if move.to_state == "AT_RISK":
        _open_intervention(conn, ctx, move)
    elif move.to_state == "LOYAL_CLIENT":
        conn.execute(
            REFERRAL_ELIGIBILITY,
            (move.tenant_id, move.state_id, move.client_id, ctx.logical_time),
        )
    elif move.to_state == "ADVOCATE":
        _promote_advocate(conn, ctx, move)
    elif move.to_state == "CHURNED":
        conn.execute(
            START_WINBACK,
            (
                move.tenant_id,
                move.client_id,
                move.state_id,
                json.dumps(ctx.params.winback_steps),
                ctx.logical_time,
            ),
        )
    elif move.to_state == "REACTIVATED":
        conn.execute(
            CLOSE_WINBACK,
            {"tenant": move.tenant_id, "client": move.client_id, "logical_time": ctx.logical_time},
        )


def _open_intervention(conn: psycopg.Connection, ctx: RunContext, move: Transition) -> None:
    score, risk_level, strongest, breakdown = conn.execute(
        CHURN_FACTORS, (move.tenant_id, move.client_id)
    ).fetchone()
    open_or_raise_churn_task(
        conn,
        ctx,
        move.tenant_id,
        move.client_id,
        task_type="CHURN_INTERVENTION",
        source_worker="hitl:churn:intervention",
        band=ctx.params.band_of_level(risk_level),
        score=score,
        strongest_signal_type=strongest,
        strongest_signal_evidence=None,
        breakdown=breakdown,
        reason=f"Entered AT_RISK: churn score {score}",
    )


def _promote_advocate(conn: psycopg.Connection, ctx: RunContext, move: Transition) -> None:
    """`state:advocate:promote`: the KOL score of SPEC (points for converted referrals, latest
    NPS, revenue rank within the tenant and tenure, each capped; weights in the dbt vars)."""
    revenue, nps, referrals, first_order_at, below, clients = conn.execute(
        ADVOCATE_FACTS, (move.state_id,)
    ).fetchone()
    p = ctx.params
    tenure = ctx.days_since(first_order_at)
    # percent_rank() is a float in PostgreSQL, made numeric with 15 significant digits.
    rank = below / (clients - 1) if clients > 1 else 0.0
    components = {
        "referrals": rounded(
            p.var("kol_points_referrals")
            * min(Decimal(1), referrals / p.var("kol_referrals_for_full_points"))
        ),
        "nps": rounded(p.var("kol_points_nps") * (nps or 0) / Decimal(10)),
        "revenue": rounded(Decimal(f"{float(p.var('kol_points_revenue')) * rank:.15g}")),
        "tenure": rounded(
            p.var("kol_points_tenure")
            * min(Decimal(1), tenure / p.var("kol_tenure_days_for_full_points"))
        ),
    }
    score = sum(components.values(), Decimal(0))
    if score >= p.var("kol_tier_platinum_min"):
        tier = "PLATINUM"
    elif score >= p.var("kol_tier_gold_min"):
        tier = "GOLD"
    else:
        tier = "SILVER"
    conn.execute(
        PROMOTE,
        {
            "tenant": move.tenant_id,
            "client": move.client_id,
            "state": move.state_id,
            "score": score,
            "tier": tier,
            "components": json.dumps(components, default=str),
            "referrals": referrals,
            "nps": nps,
            "revenue": revenue,
            "tenure": tenure,
            "logical_time": ctx.logical_time,
        },
    )
    conn.execute(MIRROR_KOL_SCORE, (score, move.state_id))
