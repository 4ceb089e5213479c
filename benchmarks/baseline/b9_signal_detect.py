"""B9 `churn:signal:detect`, one evidence source at a time: a message (its B12 analysis is the
payload), a client's order history (ORDER), an unpaid invoice (PAYMENT), an escalated ticket
(SUPPORT) and, SPEC's additions, a client's silence (COMMUNICATION_FADE) and the other message
signals (NEGATIVE_SENTIMENT, QUALITY_COMPLAINT). Then a sweep per client resolves the active
signals whose condition no longer holds (SPEC §3, not in the seed).

Where the seed inserts, this upserts by the SPEC §4 key: a signal already stored is updated in
place, one resolved by the pipeline itself recurs, and one a person resolved stays resolved.
The daily checks (orders, silence, invoices, tickets) are the jobs a scheduler would queue.
"""

import datetime as dt
import json
from collections.abc import Iterator
from decimal import Decimal
from uuid import UUID

import psycopg

from benchmarks.baseline.context import RunContext, SignalKey, start_of_day

STATE_ID = "select id from gold_nurturing_state where tenant_id = %s and client_id = %s"

# The analysed inbound messages the run must look at: the new ones, and the recent ones of
# clients whose state this run created (their messages came before there was a state).
ANALYSED_MESSAGES = """
    select m.tenant_id, m.client_id, m.id, m.body, m.sent_at, a.sentiment_label,
           a.sentiment_score, a.topics, a.mentioned_competitors
    from gold_client_messages m
    join gold_sentiment_analysis a
      on a.tenant_id = m.tenant_id and a.source_type = 'MESSAGE' and a.source_id = m.id
    where m.tenant_id = any(%(tenants)s) and m.direction = 'INBOUND'
      and m.sent_at < %(logical_time)s and m.sent_at >= %(lookback_start)s
      and (%(since)s::timestamptz is null or m.sent_at >= %(since)s
           or m.client_id = any(%(new_clients)s))
"""

STATES = "select tenant_id, client_id from gold_nurturing_state where tenant_id = any(%(tenants)s)"

OVERDUE_INVOICES = """
    select tenant_id, client_id, id, amount, currency, due_at
    from gold_invoices
    where tenant_id = any(%(tenants)s) and issued_at < %(logical_time)s
      and (paid_at is null or paid_at >= %(logical_time)s) and due_at < %(logical_time)s
"""

OPEN_ESCALATED_TICKETS = """
    select tenant_id, client_id, id, subject, priority, coalesce(escalated_at, opened_at)
    from gold_support_tickets
    where tenant_id = any(%(tenants)s) and is_escalated
      and coalesce(escalated_at, opened_at) < %(logical_time)s
      and (closed_at is null or closed_at >= %(logical_time)s)
"""

CLIENTS_WITH_ACTIVE_SIGNALS = """
    select distinct tenant_id, client_id from gold_churn_signals
    where tenant_id = any(%(tenants)s) and not is_resolved
"""

# getOrderInterval(clientId), with the client's last completed order (the signal's evidence).
ORDER_INTERVAL = """
    select count(*),
           extract(epoch from max(delivered_at) - min(delivered_at)) / 86400.0
               / nullif(count(*) - 1, 0),
           (array_agg(id order by delivered_at desc, id desc))[1],
           max(delivered_at)
    from gold_orders
    where tenant_id = %s and client_id = %s and status = 'DELIVERED'
      and delivered_at is not null and delivered_at < %s
"""

LAST_INBOUND = """
    select id, sent_at from gold_client_messages
    where tenant_id = %s and client_id = %s and direction = 'INBOUND' and sent_at < %s
    order by sent_at desc, id desc
    limit 1
"""

SIGNALS_OF_KEY = """
    select id, is_resolved, resolution_type, strength from gold_churn_signals
    where tenant_id = %s and client_id = %s and signal_type = %s and evidence_source_id = %s
    order by is_resolved, resolved_at desc nulls last, id
"""

INSERT_SIGNAL = """
    insert into gold_churn_signals (
        tenant_id, client_id, nurturing_state_id, signal_type, signal_category, strength,
        confidence, detected_at, detection_method, detection_source, evidence_source_type,
        evidence_source_id, evidence_details, evidence_text, first_occurrence_at, trend_direction)
    values (%(tenant)s, %(client)s, %(state)s, %(type)s, %(category)s, %(strength)s,
            %(confidence)s, %(logical_time)s, 'RULE_BASED', %(source_type)s, %(source_type)s,
            %(source_id)s, %(details)s, %(text)s, %(evidence_at)s, 'NEW')
"""

UPDATE_SIGNAL = """
    update gold_churn_signals set
        strength = %(strength)s,
        trend_direction = case when %(strength)s > strength then 'INCREASING'
                               else 'DECREASING' end,
        evidence_text = %(text)s, evidence_details = %(details)s, updated_at = now()
    where id = %(id)s
"""

REOPEN_SIGNAL = """
    update gold_churn_signals set
        is_resolved = false, resolved_at = null, resolution_type = null, is_recurring = true,
        occurrence_count = occurrence_count + 1, strength = %(strength)s,
        evidence_text = %(text)s, evidence_details = %(details)s, updated_at = now()
    where id = %(id)s
"""

ACTIVE_SIGNALS_OF_CLIENT = """
    select id, signal_type::text, evidence_source_type, evidence_source_id
    from gold_churn_signals
    where tenant_id = %s and client_id = %s and not is_resolved
"""

MESSAGE_SENT_AT = "select sent_at from gold_client_messages where tenant_id = %s and id = %s"

RESOLVE_SIGNAL = """
    update gold_churn_signals set
        is_resolved = true, resolved_at = %s, resolution_type = %s, updated_at = now()
    where id = %s
"""


def lookback_start(ctx: RunContext) -> dt.datetime:
    days = ctx.params.int_var("message_signal_lookback_days")
    return start_of_day(ctx.as_of - dt.timedelta(days=days))


def detection_jobs(conn: psycopg.Connection, ctx: RunContext) -> Iterator[tuple]:
    """Every B9 job of the run, tagged by its source."""
    params = {
        **ctx.params_sql,
        "lookback_start": lookback_start(ctx),
        "new_clients": list(ctx.new_state_clients),
    }
    for row in conn.execute(ANALYSED_MESSAGES, params).fetchall():
        yield ("MESSAGE", *row)
    for tenant_id, client_id in conn.execute(STATES, params).fetchall():
        yield "ORDER", tenant_id, client_id
        yield "SILENCE", tenant_id, client_id
    for row in conn.execute(OVERDUE_INVOICES, params).fetchall():
        yield ("PAYMENT", *row)
    for row in conn.execute(OPEN_ESCALATED_TICKETS, params).fetchall():
        yield ("SUPPORT", *row)


def handle_detection(ctx: RunContext):
    handlers = {
        "MESSAGE": _message,
        "ORDER": _order_frequency,
        "SILENCE": _communication_fade,
        "PAYMENT": _payment,
        "SUPPORT": _support,
    }

    def handle(conn: psycopg.Connection, job: tuple) -> None:
        source, tenant_id, client_id, *payload = job
        with conn.transaction():
            state = conn.execute(STATE_ID, (tenant_id, client_id)).fetchone()
            if state is None:
                return  # SPEC §4: only clients with a completed order have signals
            detect = _Detection(conn, ctx, tenant_id, client_id, state[0])
            handlers[source](detect, *payload)

    return handle


class _Detection:
    """The detections of one job: each signal found is upserted by its key."""

    def __init__(self, conn, ctx: RunContext, tenant_id: UUID, client_id: UUID, state_id: UUID):
        self.conn, self.ctx = conn, ctx
        self.tenant_id, self.client_id, self.state_id = tenant_id, client_id, state_id

    def found(self, signal_type: str, source_id: UUID, measure: Decimal, text: str,
              details: dict, evidence_at: dt.datetime) -> None:  # fmt: skip
        rule = self.ctx.params.rules[signal_type]
        key = SignalKey(self.tenant_id, self.client_id, signal_type, source_id)
        stored = self.conn.execute(
            SIGNALS_OF_KEY, (self.tenant_id, self.client_id, signal_type, source_id)
        ).fetchall()
        automatic = {r.cleared_resolution for r in self.ctx.params.rules.values()}
        if any(resolved and kind not in automatic for _, resolved, kind, _ in stored):
            return  # a person resolved it: it stays resolved while the condition lasts
        self.ctx.hand_on(self.ctx.confirmed_signals, key)
        strength = rule.strength(measure)
        values = {"strength": strength, "text": text, "details": json.dumps(details, default=str)}
        active = [row for row in stored if not row[1]]
        if active:
            if active[0][3] != strength:
                self.conn.execute(UPDATE_SIGNAL, {**values, "id": active[0][0]})
        elif stored:
            self.conn.execute(REOPEN_SIGNAL, {**values, "id": stored[0][0]})
        else:
            self.conn.execute(
                INSERT_SIGNAL,
                {
                    **values,
                    "tenant": self.tenant_id,
                    "client": self.client_id,
                    "state": self.state_id,
                    "type": signal_type,
                    "category": rule.signal_category,
                    "confidence": rule.confidence,
                    "logical_time": self.ctx.logical_time,
                    "source_type": rule.evidence_source_type,
                    "source_id": source_id,
                    "evidence_at": evidence_at,
                },
            )


def _message(detect: _Detection, message_id, body, sent_at, label, score, topics, competitors):
    text = (body or "")[:500]
    details = {
        "sentiment_label": label,
        "sentiment_score": score,
        "topics": topics,
        "mentioned_competitors": competitors,
    }
    found = []
    if isinstance(competitors, list) and competitors:
        found.append(("COMPETITOR_MENTION", Decimal(0)))
    if isinstance(topics, list) and "PRICE_HIGH" in topics:
        found.append(("PRICE_COMPLAINT", Decimal(0)))
    if label == "NEGATIVE":
        found.append(("NEGATIVE_SENTIMENT", abs(score or Decimal(0))))
    if isinstance(topics, list) and "QUALITY_ISSUE" in topics:
        found.append(("QUALITY_COMPLAINT", Decimal(0)))
    for signal_type, measure in found:
        detect.found(signal_type, message_id, measure, text, details, sent_at)


def _order_frequency(detect: _Detection) -> None:
    ctx = detect.ctx
    orders, mean_gap, last_order_id, last_order_at = detect.conn.execute(
        ORDER_INTERVAL, (detect.tenant_id, detect.client_id, ctx.logical_time)
    ).fetchone()
    if orders < 2 or not mean_gap:
        return  # a mean gap of 0 days gives no frequency drop (SPEC §4)
    days = ctx.days_since(last_order_at)
    if days > ctx.params.var("order_frequency_drop_ratio") * mean_gap:
        text = f"{days} days since last order (mean gap {mean_gap:.1f} days)"
        details = {"days_since_last_order": days, "total_orders": orders}
        detect.found(
            "ORDER_FREQUENCY_DROP", last_order_id, days / mean_gap, text, details, last_order_at
        )


def _communication_fade(detect: _Detection) -> None:
    ctx = detect.ctx
    last = detect.conn.execute(
        LAST_INBOUND, (detect.tenant_id, detect.client_id, ctx.logical_time)
    ).fetchone()
    if last is None:
        return  # never wrote: nothing faded
    message_id, sent_at = last
    silent = ctx.days_since(sent_at)
    fade_days = ctx.params.int_var("communication_fade_days")
    if silent > fade_days:
        detect.found(
            "COMMUNICATION_FADE",
            message_id,
            Decimal(silent - fade_days),
            f"No inbound message for {silent} days",
            {"days_silent": silent},
            sent_at,
        )


def _payment(detect: _Detection, invoice_id, amount, currency, due_at) -> None:
    overdue = detect.ctx.days_since(due_at)
    if overdue > detect.ctx.params.int_var("payment_delay_grace_days"):
        detect.found(
            "PAYMENT_DELAY",
            invoice_id,
            Decimal(overdue),
            f"{overdue} days overdue: invoice of {amount} {currency}",
            {"days_overdue": overdue, "amount": amount, "due_at": due_at},
            due_at,
        )


def _support(detect: _Detection, ticket_id, subject, priority, escalated_at) -> None:
    detect.found(
        "SUPPORT_ESCALATION",
        ticket_id,
        Decimal(0),
        f"Escalated ticket: {subject}",
        {"priority": priority, "escalated_at": escalated_at},
        escalated_at,
    )


def sweep_jobs(conn: psycopg.Connection, ctx: RunContext) -> Iterator[tuple[UUID, UUID]]:
    yield from conn.execute(CLIENTS_WITH_ACTIVE_SIGNALS, ctx.params_sql).fetchall()


def handle_sweep(ctx: RunContext):
    """Resolve a client's active signals that this run's detection did not confirm: a message's
    content signals expire when the message leaves the lookback window (they were confirmed
    when it arrived), every other signal is re-checked daily and clears when not confirmed."""
    window_start = lookback_start(ctx)

    def handle(conn: psycopg.Connection, job: tuple[UUID, UUID]) -> None:
        tenant_id, client_id = job
        with conn.transaction():
            for signal_id, signal_type, source_type, source_id in conn.execute(
                ACTIVE_SIGNALS_OF_CLIENT, (tenant_id, client_id)
            ).fetchall():
                if SignalKey(tenant_id, client_id, signal_type, source_id) in ctx.confirmed_signals:
                    continue
                if source_type == "MESSAGE" and signal_type != "COMMUNICATION_FADE":
                    sent = conn.execute(MESSAGE_SENT_AT, (tenant_id, source_id)).fetchone()
                    if sent is not None and window_start <= sent[0] < ctx.logical_time:
                        continue
                resolution = ctx.params.rules[signal_type].cleared_resolution
                conn.execute(RESOLVE_SIGNAL, (ctx.logical_time, resolution, signal_id))

    return handle
