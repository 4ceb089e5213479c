"""A1 `lifecycle:order:completed`, one completed order at a time, and the feedback events that
keep the state's NPS and referral mirrors (the `NPS_RECEIVED` trigger A2 reads them from).

Deviations from the seed, each a SPEC precision: the state starts at the order's delivery
(`onboarding_started_at` = first `delivered_at`) and is stamped with the run's logical time;
one client's orders are handled in delivery order (the seed's read-increment-write would lose
updates when two orders of one client run at once); a new state reads the feedback its client
gave before it existed. The per-order `lifecycle:state:evaluate` trigger is not queued: A2 runs
once per state per run, after B9/B10, so that it reads this run's numbers (SPEC §4).
"""

import datetime as dt
import itertools
from collections.abc import Iterator
from decimal import Decimal
from uuid import UUID

import psycopg

from benchmarks.baseline.context import RunContext
from benchmarks.baseline.params import rounded

SECONDS_PER_DAY = Decimal(86400)
FREQUENCY_PLACES = Decimal("0.1")

COMPLETED_ORDERS = """
    select tenant_id, client_id, id, total_value, delivered_at
    from gold_orders
    where tenant_id = any(%(tenants)s) and status = 'DELIVERED' and delivered_at is not null
      and delivered_at < %(logical_time)s
      and (%(since)s::timestamptz is null or delivered_at >= %(since)s)
    order by tenant_id, client_id, delivered_at, id
"""

FIND_STATE = """
    select id, total_orders, total_revenue, first_order_at
    from gold_nurturing_state where tenant_id = %s and client_id = %s
"""

CREATE_STATE = """
    insert into gold_nurturing_state (
        tenant_id, client_id, current_state, state_changed_at, onboarding_started_at,
        first_order_at, last_order_at, last_interaction_at, total_orders, total_revenue,
        average_order_value, assigned_account_manager)
    select %(tenant)s, %(client)s, 'ONBOARDING', %(logical_time)s, %(delivered)s, %(delivered)s,
           %(delivered)s, %(delivered)s, 1, %(value)s, %(value)s, c.account_manager_id
    from gold_clients c where c.id = %(client)s
    returning id
"""

UPDATE_STATE = """
    update gold_nurturing_state set
        last_order_at = %(delivered)s, last_interaction_at = %(delivered)s,
        total_orders = %(orders)s, total_revenue = %(revenue)s, average_order_value = %(average)s,
        order_frequency_days = %(frequency)s, updated_at = now()
    where id = %(state)s
"""

# A1 step 4 (the seed's delayed `feedback:nps:send` job), with its audit action.
SCHEDULE_SURVEY = """
    with due as (
        select s.tenant_id, s.client_id, s.id as state_id,
               coalesce(s.preferred_channel, 'EMAIL') as channel,
               gen_random_uuid() as survey_id, gen_random_uuid() as action_id
        from gold_nurturing_state s
        where s.id = %(state)s
          and not exists (
              select 1 from gold_nps_surveys n
              where n.tenant_id = s.tenant_id and n.order_id = %(order)s
                and n.survey_type = 'POST_ORDER')
    ),
    actions as (
        insert into gold_nurturing_actions (
            id, tenant_id, nurturing_state_id, client_id, action_type, action_category,
            trigger_type, trigger_event, trigger_data, channel, status, scheduled_at,
            correlation_id)
        select action_id, tenant_id, state_id, client_id, 'NPS_SURVEY', 'FEEDBACK', 'EVENT',
               'ORDER_COMPLETED',
               jsonb_build_object('order_id', %(order)s::uuid, 'survey_type', 'POST_ORDER'),
               channel, 'SCHEDULED', %(scheduled)s, survey_id
        from due
    )
    insert into gold_nps_surveys (
        id, tenant_id, client_id, nurturing_state_id, order_id, survey_type, channel, status,
        scheduled_at, nurturing_action_id)
    select survey_id, tenant_id, client_id, state_id, %(order)s, 'POST_ORDER', channel,
           'SCHEDULED', %(scheduled)s, action_id
    from due
"""

NPS_ANSWERS = """
    select tenant_id, client_id from gold_nps_surveys
    where tenant_id = any(%(tenants)s) and score is not null and responded_at is not null
      and responded_at < %(logical_time)s
      and (%(since)s::timestamptz is null or responded_at >= %(since)s)
"""

REFERRAL_EVENTS = """
    select tenant_id, referrer_client_id from gold_referrals
    where tenant_id = any(%(tenants)s) and referrer_client_id is not null
      and (
          (created_at < %(logical_time)s
           and (%(since)s::timestamptz is null or created_at >= %(since)s))
          or (converted and coalesce(converted_at, created_at) < %(logical_time)s
              and (%(since)s::timestamptz is null
                   or coalesce(converted_at, created_at) >= %(since)s)))
"""

LATEST_TWO_ANSWERS = """
    select score, responded_at from gold_nps_surveys
    where tenant_id = %s and client_id = %s and score is not null and responded_at is not null
      and responded_at < %s
    order by responded_at desc, id desc
    limit 2
"""

MIRROR_NPS = """
    update gold_nurturing_state set
        nps_score = %(score)s, nps_category = %(category)s, satisfaction_trend = %(trend)s,
        last_nps_survey_at = %(responded_at)s, updated_at = now()
    where tenant_id = %(tenant)s and client_id = %(client)s
"""

REFERRAL_COUNTS = """
    select count(*),
           count(*) filter (where converted and coalesce(converted_at, created_at) < %(lt)s)
    from gold_referrals
    where tenant_id = %(tenant)s and referrer_client_id = %(client)s and created_at < %(lt)s
"""

MIRROR_REFERRALS = """
    update gold_nurturing_state set
        referral_count = %(made)s, successful_referrals = %(converted)s, updated_at = now()
    where tenant_id = %(tenant)s and client_id = %(client)s
"""


def client_order_jobs(conn: psycopg.Connection, ctx: RunContext) -> Iterator[list[tuple]]:
    """The run's completed orders, one job list per client (in delivery order), streamed."""
    with conn.transaction(), conn.cursor(name="completed_orders") as cursor:
        cursor.execute(COMPLETED_ORDERS, ctx.params_sql)
        for _, orders in itertools.groupby(cursor, key=lambda row: (row[0], row[1])):
            yield list(orders)


def handle_client_orders(ctx: RunContext):
    def handle(conn: psycopg.Connection, orders: list[tuple]) -> int:
        for order in orders:
            order_completed(conn, ctx, order)
        return len(orders)

    return handle


def order_completed(conn: psycopg.Connection, ctx: RunContext, order: tuple) -> None:
    tenant_id, client_id, order_id, value, delivered_at = order
    with conn.transaction():
        state = conn.execute(FIND_STATE, (tenant_id, client_id)).fetchone()
        if state is None:
            (state_id,) = conn.execute(
                CREATE_STATE,
                {
                    "tenant": tenant_id,
                    "client": client_id,
                    "logical_time": ctx.logical_time,
                    "delivered": delivered_at,
                    "value": value,
                },
            ).fetchone()
            ctx.hand_on(ctx.new_state_clients, client_id)
            # Feedback given before the state existed had no state to land on.
            mirror_nps(conn, ctx, tenant_id, client_id)
            mirror_referrals(conn, ctx, tenant_id, client_id)
        else:
            state_id, total_orders, total_revenue, first_order_at = state
            orders = total_orders + 1
            revenue = total_revenue + value
            gap_days = _exact_days(delivered_at - first_order_at) / (orders - 1)
            conn.execute(
                UPDATE_STATE,
                {
                    "state": state_id,
                    "delivered": delivered_at,
                    "orders": orders,
                    "revenue": revenue,
                    "average": rounded(revenue / orders),
                    "frequency": rounded(gap_days, FREQUENCY_PLACES),
                },
            )
        scheduled = delivered_at + dt.timedelta(days=ctx.params.int_var("nps_survey_delay_days"))
        if ctx.days_since(scheduled) <= ctx.params.int_var("nps_survey_history_days"):
            conn.execute(
                SCHEDULE_SURVEY, {"state": state_id, "order": order_id, "scheduled": scheduled}
            )


def _exact_days(span: dt.timedelta) -> Decimal:
    return Decimal(span // dt.timedelta(microseconds=1)) / 1_000_000 / SECONDS_PER_DAY


def feedback_jobs(conn: psycopg.Connection, ctx: RunContext) -> Iterator[tuple[str, UUID, UUID]]:
    """NPS answers and referrals (made or converted) of the run, one job each."""
    for tenant_id, client_id in conn.execute(NPS_ANSWERS, ctx.params_sql).fetchall():
        yield "NPS_RECEIVED", tenant_id, client_id
    for tenant_id, client_id in conn.execute(REFERRAL_EVENTS, ctx.params_sql).fetchall():
        yield "REFERRAL", tenant_id, client_id


def handle_feedback(ctx: RunContext):
    def handle(conn: psycopg.Connection, job: tuple[str, UUID, UUID]) -> None:
        kind, tenant_id, client_id = job
        with conn.transaction():
            if kind == "NPS_RECEIVED":
                mirror_nps(conn, ctx, tenant_id, client_id)
            else:
                mirror_referrals(conn, ctx, tenant_id, client_id)

    return handle


def mirror_nps(conn: psycopg.Connection, ctx: RunContext, tenant_id: UUID, client_id: UUID):
    """The state's NPS fields from the latest answer and the one before (SPEC §3)."""
    answers = conn.execute(LATEST_TWO_ANSWERS, (tenant_id, client_id, ctx.logical_time)).fetchall()
    if not answers:
        return
    (latest, responded_at), previous = answers[0], answers[1:]
    trend = None
    if previous:
        before = previous[0][0]
        trend = "DECLINING" if latest < before else "IMPROVING" if latest > before else "STABLE"
    conn.execute(
        MIRROR_NPS,
        {
            "tenant": tenant_id,
            "client": client_id,
            "score": latest,
            "category": nps_category(ctx, latest),
            "trend": trend,
            "responded_at": responded_at,
        },
    )


def nps_category(ctx: RunContext, score: int) -> str:
    if score >= ctx.params.int_var("nps_promoter_min"):
        return "PROMOTER"
    if score >= ctx.params.int_var("nps_passive_min"):
        return "PASSIVE"
    return "DETRACTOR"


def mirror_referrals(conn: psycopg.Connection, ctx: RunContext, tenant_id: UUID, client_id: UUID):
    made, converted = conn.execute(
        REFERRAL_COUNTS, {"tenant": tenant_id, "client": client_id, "lt": ctx.logical_time}
    ).fetchone()
    conn.execute(
        MIRROR_REFERRALS,
        {"tenant": tenant_id, "client": client_id, "made": made, "converted": converted},
    )
