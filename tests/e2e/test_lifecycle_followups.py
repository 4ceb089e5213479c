"""Issue 6 end to end: one generated tenant walked over several as-of dates (day 0, +3, +14,
+15, +21, +30), with a few scenario clients whose events the Cerniq app would record between
runs. Every date runs twice; the second run must change nothing.

  N - new client: onboarding sequence, POST_ORDER survey sent, a second survey capped, answer.
  D - detractor answer: NPS_DETRACTOR_FOLLOWUP task, assigned to the least-loaded user.
  C - complaints and an overdue invoice: AT_RISK with one churn task (escalation and
      intervention never two), SLA BREACHED exactly at the deadline and escalated; after a new
      order, paid invoice and people's resolutions the risk clears and the task closes itself.
  L - loyal: LOYAL_CLIENT and a referral request in the same run, two converted referrals ->
      ADVOCATE with a KOL profile; an open referral expires.
  Z - dormant: AT_RISK -> CHURNED with a win-back campaign -> REACTIVATED by an order.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from uuid import UUID

import psycopg
import pytest
from dagster import build_schedule_context

from dagster_cerniq.definitions import defs
from dagster_cerniq.defs.automation.jobs import hitl_sla_job
from dagster_cerniq.defs.automation.partitions import run_tags
from dagster_cerniq.defs.automation.schedules import hitl_sla_every_15_minutes
from dagster_cerniq.defs.hitl.sla_clock import run_hitl_clock
from dagster_cerniq.lib.run_dates import AS_OF_TAG
from dagster_cerniq.lib.write_back import RunScope
from dagster_cerniq.ops.instance import cerniq_instance
from dagster_cerniq.ops.pipeline import run_pipeline
from tests.conftest import generated
from tests.fingerprints import fingerprint

DAY_0 = dt.date(2026, 3, 2)
STEPS = (0, 3, 14, 15, 21, 30)


def day(offset: int, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(DAY_0 + dt.timedelta(days=offset), dt.time(hour), dt.UTC)


def logical_time(offset: int) -> dt.datetime:
    """The logical time of the run as of day `offset` (the end of that day)."""
    return dt.datetime.combine(DAY_0 + dt.timedelta(days=offset + 1), dt.time(0), dt.UTC)


@dataclass
class Scenario:
    """Writes what the Cerniq app records: clients, orders, messages, invoices, answers."""

    conn: psycopg.Connection
    tenant: UUID
    clients: dict[str, UUID] = field(default_factory=dict)

    def client(self, name: str, account_manager: UUID | None = None) -> UUID:
        client_id = uuid.uuid4()
        self.conn.execute(
            "insert into gold_clients (id, tenant_id, company_name, cui, county, locality, "
            "segment, account_manager_id) values (%s, %s, %s, %s, 'Iași', 'Iași', "
            "'SMALL_FARM', %s)",
            (client_id, self.tenant, f"Ferma {name} SRL", f"RO{abs(hash(name)) % 10**8}",
             account_manager),
        )  # fmt: skip
        self.clients[name] = client_id
        return client_id

    def order(self, name: str, offset: int) -> UUID:
        order_id = uuid.uuid4()
        self.conn.execute(
            "insert into gold_orders (id, tenant_id, client_id, status, total_value, ordered_at, "
            "delivered_at) values (%s, %s, %s, 'DELIVERED', 12500, %s, %s)",
            (order_id, self.tenant, self.clients[name], day(offset - 2), day(offset, 9)),
        )
        return order_id

    def complaint(self, name: str, offset: int) -> None:
        """An inbound message, already analysed: negative, about price, naming a competitor."""
        message_id = uuid.uuid4()
        text = "Prețurile sunt prea mari, AgroRival ne oferă semințe mai ieftine."
        self.conn.execute(
            "insert into gold_client_messages (id, tenant_id, client_id, direction, channel, "
            "body, sent_at, created_at) values (%s, %s, %s, 'INBOUND', 'EMAIL', %s, %s, %s)",
            (message_id, self.tenant, self.clients[name], text, day(offset), day(offset)),
        )
        self.conn.execute(
            "insert into gold_sentiment_analysis (tenant_id, source_type, source_id, client_id, "
            "original_text, sentiment_label, sentiment_score, confidence, topics, "
            "mentioned_competitors, model_name, source_created_at) values "
            "(%s, 'MESSAGE', %s, %s, %s, 'NEGATIVE', -0.9, 0.9, '[\"PRICE_HIGH\"]', "
            "'[\"AgroRival\"]', 'test-fixture', %s)",
            (self.tenant, message_id, self.clients[name], text, day(offset)),
        )
        self.conn.execute(
            "insert into gold_competitor_intel (tenant_id, client_id, competitor_name, "
            "competitor_normalized, source_type, source_id, context_text, mention_sentiment, "
            "price_mentioned, mentioned_at) values "
            "(%s, %s, 'AgroRival', 'agrorival', 'MESSAGE', %s, %s, 'NEGATIVE', true, %s)",
            (self.tenant, self.clients[name], message_id, text, day(offset)),
        )

    def invoice(self, name: str, due_offset: int) -> UUID:
        invoice_id = uuid.uuid4()
        self.conn.execute(
            "insert into gold_invoices (id, tenant_id, client_id, amount, issued_at, due_at) "
            "values (%s, %s, %s, 8000, %s, %s)",
            (invoice_id, self.tenant, self.clients[name], day(due_offset - 30), day(due_offset)),
        )
        return invoice_id

    def nps_answer(self, name: str, offset: int, score: int) -> None:
        self.conn.execute(
            "insert into gold_nps_surveys (tenant_id, client_id, survey_type, status, "
            "scheduled_at, sent_at, responded_at, score) values "
            "(%s, %s, 'RELATIONSHIP', 'SENT', %s, %s, %s, %s)",
            (self.tenant, self.clients[name], day(offset - 1), day(offset - 1), day(offset),
             score),
        )  # fmt: skip

    def referral(self, name: str, created: int, expires: int, converted: int | None) -> None:
        self.conn.execute(
            "insert into gold_referrals (tenant_id, referrer_client_id, referred_company_name, "
            "referral_type, referral_source, status, converted, converted_at, created_at, "
            "expires_at) values (%s, %s, 'Vecinul SRL', 'EXPLICIT', 'CONVERSATION', %s, %s, "
            "%s, %s, %s)",
            (self.tenant, self.clients[name], "CONVERTED" if converted else "ACTIVE",
             converted is not None, day(converted) if converted else None, day(created),
             day(expires)),
        )  # fmt: skip


def record_events_before(scenario: Scenario, offset: int) -> None:
    """What happens between the runs, in the app, dated before the run as of `offset`."""
    s = scenario
    if offset == 0:
        users = s.conn.execute(
            "select id from users where tenant_id = %s and role = 'ACCOUNT_MANAGER' "
            "order by id limit 1",
            (s.tenant,),
        ).fetchone()
        s.client("N", account_manager=users[0])
        s.order("N", 0)
        for name in ("C", "L", "Z", "D"):
            s.client(name)
        for offset_ in (-100, -70, -40):
            s.order("C", offset_)
        for offset_ in (-60, -30, -2):
            s.order("L", offset_)
        s.nps_answer("L", -1, 9)
        for offset_ in (-230, -200):
            s.order("Z", offset_)
        s.order("D", -10)
    elif offset == 3:
        s.nps_answer("D", 2, 4)
    elif offset == 14:
        # N answers the survey it got on day 3, orders again on day 10.
        s.conn.execute(
            "update gold_nps_surveys set score = 9, responded_at = %s, updated_at = now() "
            "where client_id = %s and survey_type = 'POST_ORDER' and status = 'SENT'",
            (day(4), s.clients["N"]),
        )
        s.order("N", 10)
        s.complaint("C", 10)
        s.invoice("C", -30)
    elif offset == 21:
        s.order("C", 20)
        s.conn.execute(
            "update gold_invoices set paid_at = %s where client_id = %s", (day(20), s.clients["C"])
        )
        # People in the app judged the complaint signals handled.
        s.conn.execute(
            "update gold_churn_signals set is_resolved = true, resolved_at = %s, "
            "resolution_type = 'MANUAL' where client_id = %s and not is_resolved "
            "and evidence_source_type = 'MESSAGE'",
            (day(20), s.clients["C"]),
        )
        s.referral("L", created=15, expires=60, converted=16)
        s.referral("L", created=15, expires=60, converted=17)
        s.referral("L", created=15, expires=17, converted=None)
        s.order("Z", 18)


@dataclass
class Walk:
    url: str
    tenant: UUID
    clients: dict[str, UUID]
    # Per as-of offset: query results after the run, and whether the rerun changed anything.
    after: dict[int, dict[str, list[tuple]]]
    rerun_changes: dict[int, list[str]]


QUERIES = {
    "states": "select c.name, s.current_state::text, s.onboarding_completed_at, s.nps_score, "
    "s.nps_category, s.successful_referrals, s.is_advocate, s.kol_score "
    "from gold_nurturing_state s join scenario c on c.id = s.client_id order by 1",
    "drips": "select c.name, d.step_number, d.status, d.sent_at from gold_content_drips d "
    "join scenario c on c.id = d.client_id order by 1, 2",
    "surveys": "select c.name, n.survey_type, n.status, n.scheduled_at, n.sent_at, n.score, "
    "n.nps_category, n.skip_reason from gold_nps_surveys n join scenario c "
    "on c.id = n.client_id order by 1, n.scheduled_at",
    "tasks": "select c.name, t.task_type, t.priority, t.status, t.sla_status, t.sla_deadline, "
    "t.escalation_level, t.escalated_to is not null, t.assigned_to is not null, "
    "t.assignment_method, t.resolution from gold_hitl_tasks_e5 t join scenario c "
    "on c.id = t.client_id order by 1, t.created_at",
    "actions": "select c.name, a.action_type, a.status, a.response_content "
    "from gold_nurturing_actions a join scenario c on c.id = a.client_id "
    "where a.action_type like 'REFERRAL%%' order by 1, 2",
    "outbox": "select c.name, o.message_type, o.channel from cerniq_outbox o "
    "join scenario c on c.id = o.client_id order by 1, 2, o.enqueued_at",
    "winbacks": "select c.name, w.status, w.outcome, w.reactivation_order_id is not null "
    "from gold_winback_campaigns w join scenario c on c.id = w.client_id order by 1",
    "kol": "select c.name, k.kol_score, k.kol_tier from gold_kol_profiles k "
    "join scenario c on c.id = k.client_id order by 1",
    "referrals": "select r.status::text, r.expiry_reason from gold_referrals r "
    "join scenario c on c.id = r.referrer_client_id order by 1",
}


def observe(url: str, clients: dict[str, UUID]) -> dict[str, list[tuple]]:
    with psycopg.connect(url) as conn:
        conn.execute("create temporary table scenario (name text, id uuid)")
        with conn.cursor().copy("copy scenario from stdin") as copy:
            for name, client_id in clients.items():
                copy.write_row((name, client_id))
        return {key: conn.execute(query).fetchall() for key, query in QUERIES.items()}


@pytest.fixture(scope="module")
def walk(admin_url: str):
    with generated(admin_url, tenants=1, clients_per_tenant=25, as_of=DAY_0) as (url, tenants):
        tenant = tenants[0]
        after: dict[int, dict[str, list[tuple]]] = {}
        rerun_changes: dict[int, list[str]] = {}
        clients: dict[str, UUID] = {}
        for offset in STEPS:
            with psycopg.connect(url) as conn:
                scenario = Scenario(conn, tenant, clients)
                record_events_before(scenario, offset)
            as_of = DAY_0 + dt.timedelta(days=offset)
            assert [r.success for r in run_pipeline(url, [tenant], as_of)] == [True]
            first = fingerprint(url, tenant)
            after[offset] = observe(url, clients)
            assert [r.success for r in run_pipeline(url, [tenant], as_of)] == [True]
            second = fingerprint(url, tenant)
            rerun_changes[offset] = [table for table in first if first[table] != second[table]]
        yield Walk(url, tenant, clients, after, rerun_changes)


def rows(walk: Walk, offset: int, key: str, name: str) -> list[tuple]:
    return [row[1:] for row in walk.after[offset][key] if row[0] == name]


def state(walk: Walk, offset: int, name: str) -> tuple:
    (row,) = rows(walk, offset, "states", name)
    return row


def test_every_as_of_date_is_idempotent(walk: Walk) -> None:
    assert walk.rerun_changes == {offset: [] for offset in STEPS}


def test_onboarding_sequence_runs_to_completion(walk: Walk) -> None:
    sent, scheduled, skipped = "SENT", "SCHEDULED", "SKIPPED"
    assert [r[:2] for r in rows(walk, 0, "drips", "N")] == [
        (1, sent), (2, scheduled), (3, scheduled), (4, scheduled)]  # fmt: skip
    assert [r[:2] for r in rows(walk, 3, "drips", "N")] == [
        (1, sent), (2, sent), (3, scheduled), (4, scheduled)]  # fmt: skip
    # Not run between day 3 and day 14: step 3 (day 7) is past the 2-day send window.
    assert [r[:2] for r in rows(walk, 14, "drips", "N")] == [
        (1, sent), (2, sent), (3, skipped), (4, sent)]  # fmt: skip
    assert [r[2] for r in rows(walk, 14, "drips", "N") if r[1] == sent] == [
        logical_time(0), logical_time(3), logical_time(14)]  # fmt: skip
    assert state(walk, 3, "N")[:2] == ("ONBOARDING", None)
    assert state(walk, 14, "N")[:2] == ("NURTURING_ACTIVE", day(14, 9))
    # History (a client whose sequence ended long ago) gets no drips, only its completion.
    assert rows(walk, 0, "drips", "L") == []
    assert state(walk, 0, "L")[1] == day(-60 + 14, 9)
    assert state(walk, 3, "L")[0] == "NURTURING_ACTIVE"
    outbox = rows(walk, 14, "outbox", "N")
    assert outbox.count(("CONTENT_DRIP", "EMAIL")) + outbox.count(("CONTENT_DRIP", "WHATSAPP")) == 3


def test_nps_dispatch_frequency_cap_and_answers(walk: Walk) -> None:
    (survey,) = rows(walk, 0, "surveys", "N")
    assert survey[:4] == ("POST_ORDER", "SCHEDULED", day(3, 9), None)
    (survey,) = rows(walk, 3, "surveys", "N")
    assert survey[:4] == ("POST_ORDER", "SENT", day(3, 9), logical_time(3))
    assert ("NPS_SURVEY", "EMAIL") in rows(walk, 3, "outbox", "N")
    first, second = rows(walk, 14, "surveys", "N")
    assert first[1:] == ("RESPONDED", day(3, 9), logical_time(3), 9, "PROMOTER", None)
    # Due 11 days after the first went out: skipped under the 30-day cap.
    assert second[1:] == ("SKIPPED", day(13, 9), None, None, None, "FREQUENCY_CAP")
    assert state(walk, 14, "N")[2:4] == (9, "PROMOTER")


def test_detractor_answer_opens_one_followup(walk: Walk) -> None:
    (task,) = rows(walk, 3, "tasks", "D")
    task_type, priority, status, _, deadline, _, _, assigned, method, _ = task
    assert (task_type, priority, status, assigned, method) == (
        "NPS_DETRACTOR_FOLLOWUP", "HIGH", "ASSIGNED", True, "LEAST_LOADED")  # fmt: skip
    assert deadline == logical_time(3) + dt.timedelta(hours=24)
    assert state(walk, 3, "D")[2:4] == (4, "DETRACTOR")
    assert len(rows(walk, 30, "tasks", "D")) == 1


def test_at_risk_task_breaches_escalates_and_closes_when_risk_clears(walk: Walk) -> None:
    assert state(walk, 14, "C")[0] == "AT_RISK"
    (task,) = rows(walk, 14, "tasks", "C")  # B10's escalation and A6's intervention: one task
    assert task[:4] == ("CHURN_ESCALATION", "HIGH", "ASSIGNED", "OK")
    assert task[4] == logical_time(14) + dt.timedelta(hours=24) == logical_time(15)
    (task,) = rows(walk, 15, "tasks", "C")  # the clock reaches the deadline exactly
    assert task[3:7] == ("BREACHED", logical_time(15), 1, True)
    assert state(walk, 21, "C")[0] == "NURTURING_ACTIVE"
    (task,) = rows(walk, 21, "tasks", "C")
    assert (task[2], task[-1]) == ("RESOLVED", "AUTO_CLOSED_RISK_CLEARED")


def test_account_manager_gets_the_task_of_their_client(walk: Walk) -> None:
    with psycopg.connect(walk.url) as conn:
        conn.execute(
            "insert into gold_hitl_tasks_e5 (tenant_id, task_type, priority, sla_deadline, "
            "client_id, context) values (%s, 'MANUAL_REVIEW', 'LOW', %s, %s, '{}')",
            (walk.tenant, logical_time(40), walk.clients["N"]),
        )
        run_hitl_clock(conn, RunScope([str(walk.tenant)], DAY_0, logical_time(30), uuid.uuid4()))
        assigned, manager, method = conn.execute(
            "select t.assigned_to, c.account_manager_id, t.assignment_method "
            "from gold_hitl_tasks_e5 t join gold_clients c on c.id = t.client_id "
            "where t.task_type = 'MANUAL_REVIEW'"
        ).fetchone()
        conn.rollback()
    assert (assigned, method) == (manager, "ACCOUNT_MANAGER")


def test_sla_clock_boundaries(walk: Walk) -> None:
    """OK until sla_warning_at, WARNING from it, BREACHED from sla_deadline, inclusive."""
    deadline = logical_time(40)
    warning = deadline - dt.timedelta(hours=6)
    second = dt.timedelta(seconds=1)
    seen = []
    with psycopg.connect(walk.url) as conn:
        (task_id,) = conn.execute(
            "insert into gold_hitl_tasks_e5 (tenant_id, task_type, priority, sla_deadline, "
            "sla_warning_at, client_id, context) values (%s, 'MANUAL_REVIEW', 'LOW', %s, %s, "
            "%s, '{}') returning id",
            (walk.tenant, deadline, warning, walk.clients["L"]),
        ).fetchone()
        for now in (warning - second, warning, deadline - second, deadline):
            scope = RunScope([str(walk.tenant)], now.date(), now, uuid.uuid4())
            run_hitl_clock(conn, scope)
            seen.append(
                conn.execute(
                    "select sla_status, escalation_level from gold_hitl_tasks_e5 where id = %s",
                    (task_id,),
                ).fetchone()
            )
        conn.rollback()
    assert seen == [("OK", 0), ("WARNING", 0), ("WARNING", 0), ("BREACHED", 1)]


def test_loyal_client_becomes_advocate_with_kol_profile(walk: Walk) -> None:
    assert state(walk, 14, "L")[0] == "LOYAL_CLIENT"
    # The run that makes L loyal checks its eligibility and asks it for a referral.
    assert rows(walk, 14, "actions", "L") == [
        ("REFERRAL_ELIGIBILITY_CHECK", "COMPLETED", "ELIGIBLE"),
        ("REFERRAL_REQUEST", "SENT", None),
    ]
    assert ("REFERRAL_REQUEST", "EMAIL") in rows(walk, 14, "outbox", "L")
    current, _, _, _, referrals, is_advocate, kol_score = state(walk, 21, "L")
    assert (current, referrals, is_advocate) == ("ADVOCATE", 2, True)
    (profile,) = rows(walk, 21, "kol", "L")
    assert kol_score == profile[0] and 0 < kol_score <= 100
    # Asked on day 14: not again within 90 days.
    assert rows(walk, 30, "actions", "L") == rows(walk, 14, "actions", "L")
    assert walk.after[21]["referrals"] == [("CONVERTED", None), ("CONVERTED", None),
                                           ("EXPIRED", "EXPIRES_AT_PASSED")]  # fmt: skip


def test_churned_client_is_won_back(walk: Walk) -> None:
    assert [state(walk, offset, "Z")[0] for offset in STEPS] == [
        "ONBOARDING", "NURTURING_ACTIVE", "AT_RISK", "CHURNED", "REACTIVATED",
        "REACTIVATED"]  # fmt: skip
    assert rows(walk, 15, "winbacks", "Z") == [("ACTIVE", None, False)]
    assert rows(walk, 21, "winbacks", "Z") == [("SUCCEEDED", "REACTIVATED", True)]
    assert all(task[2] == "RESOLVED" for task in rows(walk, 21, "tasks", "Z"))


def test_competitor_mentions_per_month_with_clients_and_quotes(walk: Walk) -> None:
    with psycopg.connect(walk.url) as conn:
        mart = conn.execute(
            "select mention_month, competitor_normalized, mention_count, client_count, mentions "
            "from analytics.fct_competitor_mentions_monthly where tenant_id = %s order by 1, 2",
            (walk.tenant,),
        ).fetchall()
        raw = conn.execute(
            "select date_trunc('month', mentioned_at at time zone 'UTC')::date, "
            "competitor_normalized, count(*), count(distinct client_id) "
            "from gold_competitor_intel where tenant_id = %s and mentioned_at < %s "
            "group by 1, 2 order by 1, 2",
            (walk.tenant, logical_time(30)),
        ).fetchall()
    assert [row[:4] for row in mart] == raw
    assert all(len(row[4]) == row[2] for row in mart)
    (march,) = [row for row in mart if row[:2] == (dt.date(2026, 3, 1), "agrorival")]
    (quote,) = [m for m in march[4] if m["client_id"] == str(walk.clients["C"])]
    assert quote["quote"].startswith("Prețurile sunt prea mari") and quote["company_name"]


def test_sla_clock_job_runs_alone_every_15_minutes(walk: Walk) -> None:
    """The hitl_sla_clock job (no dbt) as the 15-minute schedule starts it: as of today, every
    open task's deadline (March 2026) has passed, so each one ends BREACHED."""
    instance = cerniq_instance(walk.url)
    tick = dt.datetime(2026, 11, 23, 10, 15, tzinfo=dt.UTC)
    request = hitl_sla_every_15_minutes(
        build_schedule_context(instance=instance, scheduled_execution_time=tick)
    )
    assert request.tags[AS_OF_TAG] == "2026-11-23"
    assert request.run_key == "hitl-sla:2026-11-23T12:15:00+02:00"
    job = defs.resolve_job_def(hitl_sla_job.name)
    assert [node.name for node in job.graph.nodes] == ["hitl_tasks"]
    result = job.execute_in_process(
        instance=instance,
        tags=run_tags(str(walk.tenant), str(walk.tenant), request.tags[AS_OF_TAG]),
    )
    assert result.success
    with psycopg.connect(walk.url) as conn:
        open_by_sla = conn.execute(
            "select sla_status, count(*) from gold_hitl_tasks_e5 where tenant_id = %s "
            "and status in ('PENDING', 'ASSIGNED', 'IN_PROGRESS') group by 1",
            (walk.tenant,),
        ).fetchall()
    assert dict(open_by_sla).keys() == {"BREACHED"}
