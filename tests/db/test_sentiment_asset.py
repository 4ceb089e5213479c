"""The sentiment asset on a live database: every pending inbound message analysed once, failures
kept pending then given up, and the analyses driving the message churn signals end to end."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import psycopg
import pytest
from dagster import instance_for_test, materialize

from dagster_cerniq.defs.automation.partitions import tenant_partitions
from dagster_cerniq.defs.sentiment import analyze as sentiment_module
from dagster_cerniq.defs.sentiment.claude import AnalysisOutcome
from dagster_cerniq.defs.sentiment.offline import MODEL_NAME, fold
from dagster_cerniq.lib.resources import CerniqDatabase
from dagster_cerniq.lib.run_dates import AS_OF_TAG
from dagster_cerniq.ops.pipeline import run_pipeline
from tests.conftest import generated

AS_OF = dt.date(2026, 10, 15)
APP_MODEL = "cerniq-app-test"
APP_ANALYSED_BODY = "Am primit o oferta de la Rival Agro, ne gandim."
# The app's spellings of a default competitor (one with the legacy cedilla Ş), and the offline
# analyzer's ("Azomureș", from its default list): one competitor in gold_competitor_intel.
APP_AZOMURES_BODY = "Azomures si AZOMUREŞ dau uree mai ieftin."
OFFLINE_AZOMURES_BODY = "La Azomureș ureea e cu 100 de lei mai ieftina."


def counts(url: str, tenant_id) -> dict[str, int]:
    with psycopg.connect(url) as conn:
        return {
            name: conn.execute(query, (tenant_id,)).fetchone()[0]
            for name, query in {
                "inbound": "select count(*) from gold_client_messages where tenant_id = %s "
                "and direction = 'INBOUND' and sent_at < '2026-10-16'",
                "analyses": "select count(*) from gold_sentiment_analysis where tenant_id = %s",
                "offline": f"select count(*) from gold_sentiment_analysis where tenant_id = %s "
                f"and model_name = '{MODEL_NAME}'",
                "intel": "select count(*) from gold_competitor_intel where tenant_id = %s",
            }.items()
        }


@pytest.fixture(scope="module")
def analysed(admin_url):
    with generated(admin_url) as (url, (tenant_x, _)):
        # One known complaint of each content kind, from a buyer, within the lookback window;
        # the generated messages bring the rest.
        with psycopg.connect(url) as conn:
            conn.execute(
                """
                insert into gold_client_messages (tenant_id, client_id, direction, channel, body,
                                                  sent_at)
                select o.tenant_id, o.client_id, 'INBOUND', 'WHATSAPP', complaint.body,
                       timestamptz '2026-10-13 09:00+00'
                from (select tenant_id, client_id from gold_orders
                      where tenant_id = %s and status = 'DELIVERED' limit 1) o,
                     (values ('Semintele de porumb au avut germinatie slaba, avem goluri in lan.'),
                             ('Pretul e prea mare, la AgroVista e mai ieftin.'),
                             (%s)) complaint(body)
                """,
                (tenant_x, OFFLINE_AZOMURES_BODY),
            )
            # Messages the Cerniq app analysed itself (its rows, its model), naming competitors
            # in forms the offline analyzer would not produce: the step must not analyse them
            # again, and their mentions must still reach gold_competitor_intel.
            for body, named in (
                (APP_ANALYSED_BODY, '["Rival Agro App", ""]'),
                (APP_AZOMURES_BODY, '["Azomures", "AZOMUREŞ"]'),
            ):
                conn.execute(
                    """
                    with buyer as (select tenant_id, client_id from gold_orders
                                   where tenant_id = %(tenant)s and status = 'DELIVERED' limit 1),
                    message as (
                        insert into gold_client_messages (tenant_id, client_id, direction, channel,
                                                          body, sent_at)
                        select tenant_id, client_id, 'INBOUND', 'EMAIL', %(body)s,
                               timestamptz '2026-10-14 08:00+00'
                        from buyer returning id, tenant_id, client_id, body, sent_at)
                    insert into gold_sentiment_analysis (
                        tenant_id, source_type, source_id, client_id, original_text,
                        sentiment_label, sentiment_score, confidence, topics,
                        mentioned_competitors, model_name, source_created_at)
                    select tenant_id, 'MESSAGE', id, client_id, body, 'NEUTRAL', 0, 0.9,
                           '["COMPETITOR_OFFER"]', %(named)s, %(model)s, sent_at
                    from message
                    """,
                    {"tenant": tenant_x, "body": body, "named": named, "model": APP_MODEL},
                )
        assert [r.success for r in run_pipeline(url, [tenant_x], AS_OF)] == [True]
        yield url, tenant_x


def test_every_inbound_message_is_analysed_once_offline(analysed) -> None:
    url, tenant_x = analysed
    first = counts(url, tenant_x)
    assert first["analyses"] == first["inbound"] == first["offline"] + 2  # + the app's rows
    assert first["offline"] > 0
    assert first["intel"] > 0
    assert [r.success for r in run_pipeline(url, [tenant_x], AS_OF)] == [True]
    assert counts(url, tenant_x) == first, "a rerun analyses nothing again"


def test_analyses_drive_the_message_signals(analysed) -> None:
    url, tenant_x = analysed
    with psycopg.connect(url) as conn:
        types = {
            signal_type
            for (signal_type,) in conn.execute(
                "select distinct signal_type::text from gold_churn_signals "
                "where tenant_id = %s and evidence_source_type = 'MESSAGE'",
                (tenant_x,),
            )
        }
        intel_matches_analysis = conn.execute(
            "select count(*) from gold_competitor_intel i join gold_sentiment_analysis a "
            "on a.id = i.sentiment_analysis_id where i.tenant_id = %s "
            "and not a.mentioned_competitors ? i.competitor_name",
            (tenant_x,),
        ).fetchone()[0]
    assert {
        "COMPETITOR_MENTION",
        "PRICE_COMPLAINT",
        "NEGATIVE_SENTIMENT",
        "QUALITY_COMPLAINT",
    } <= types
    assert intel_matches_analysis == 0


def test_a_failing_message_stays_pending_then_is_given_up(admin_url, monkeypatch) -> None:
    with generated(admin_url) as (url, (tenant_x, _)), instance_for_test() as instance:
        with psycopg.connect(url) as conn:
            unlucky = conn.execute(
                "select id::text from gold_client_messages where tenant_id = %s "
                "and direction = 'INBOUND' order by id limit 1",
                (tenant_x,),
            ).fetchone()[0]
        real = sentiment_module.offline_analyze_many

        def flaky(items: Sequence[tuple[str, str]], competitors) -> list[AnalysisOutcome]:
            good = real([item for item in items if item[0] != unlucky], competitors)
            bad = [AnalysisOutcome(unlucky, None, "HTTP 500 overloaded", 4, 10)]
            return good + (bad if any(key == unlucky for key, _ in items) else [])

        monkeypatch.setattr(sentiment_module, "offline_analyze_many", flaky)
        monkeypatch.setenv(sentiment_module.GIVE_UP_ENV, "8")
        instance.add_dynamic_partitions(tenant_partitions.name, [str(tenant_x)])

        def run_once():
            result = materialize(
                [sentiment_module.sentiment_analysis],
                instance=instance,
                partition_key=str(tenant_x),
                resources={"database": CerniqDatabase(url=url)},
                tags={AS_OF_TAG: AS_OF.isoformat()},
            )
            assert result.success
            return result.asset_materializations_for_node("sentiment_analysis")[0].metadata

        def failure():
            with psycopg.connect(url) as conn:
                return conn.execute(
                    "select attempts, is_given_up, last_error from cerniq_sentiment_failures "
                    "where message_id = %s",
                    (unlucky,),
                ).fetchone()

        first = run_once()
        assert first["messages_failed_this_run"].value == 1
        assert first["messages_analysed"].value == counts(url, tenant_x)["inbound"] - 1
        assert failure() == (4, False, "HTTP 500 overloaded")

        second = run_once()
        assert second["messages_analysed"].value == 0, "the others are not analysed again"
        assert failure() == (8, True, "HTTP 500 overloaded")
        assert second["messages_given_up"].value[0]["message_id"] == unlucky

        third = run_once()
        assert third["messages_failed_this_run"].value == 0, "given up: no more attempts"


def test_an_analysis_the_app_wrote_reaches_competitor_intel_once(analysed) -> None:
    url, tenant_x = analysed
    query = (
        "select i.competitor_name, i.competitor_normalized, i.context_text, "
        "i.mention_sentiment, i.sentiment_analysis_id = a.id "
        "from gold_competitor_intel i join gold_sentiment_analysis a "
        "on a.tenant_id = i.tenant_id and a.source_id = i.source_id "
        "where a.tenant_id = %s and a.model_name = %s and a.original_text = %s"
    )
    with psycopg.connect(url) as conn:
        rows = conn.execute(query, (tenant_x, APP_MODEL, APP_ANALYSED_BODY)).fetchall()
    # the empty name is no competitor; the named one is recorded as the app spelled it
    assert rows == [("Rival Agro App", "rival agro app", APP_ANALYSED_BODY, "NEUTRAL", True)]
    assert [r.success for r in run_pipeline(url, [tenant_x], AS_OF)] == [True]
    with psycopg.connect(url) as conn:
        again = conn.execute(query, (tenant_x, APP_MODEL, APP_ANALYSED_BODY)).fetchall()
    assert again == rows, "a rerun adds none"


def test_competitor_names_are_folded_as_the_analyzer_folds_them(analysed) -> None:
    url, tenant_x = analysed
    with psycopg.connect(url) as conn:
        intel = conn.execute(
            "select competitor_name, competitor_normalized, context_text "
            "from gold_competitor_intel where tenant_id = %s",
            (tenant_x,),
        ).fetchall()
    assert intel and all(normalized == fold(name) for name, normalized, _ in intel)
    azomures = sorted((text, name) for name, normalized, text in intel if normalized == "azomures")
    # one row per message: the app's two spellings are one competitor (either name kept)
    assert [text for text, _ in azomures] == [APP_AZOMURES_BODY, OFFLINE_AZOMURES_BODY]
    assert azomures[0][1] in {"Azomures", "AZOMUREŞ"} and azomures[1][1] == "Azomureș"


def test_analyses_link_to_the_signal_they_produced_and_carry_intents(analysed) -> None:
    url, tenant_x = analysed
    # The signals an analysis produces are the ones dbt marks as read from it.
    produced = """
        select s.id, s.tenant_id, s.evidence_source_id, s.signal_type::text as signal_type
        from gold_churn_signals s
        join analytics.fct_churn_signal_candidates c
            on (c.tenant_id, c.client_id, c.signal_type, c.evidence_source_id)
            = (s.tenant_id, s.client_id, s.signal_type::text, s.evidence_source_id)
        where c.is_from_message_analysis
    """
    with psycopg.connect(url) as conn:
        unlinked, wrongly_linked, linked = conn.execute(
            f"""
            with produced as ({produced})
            select
                count(*) filter (where a.generated_churn_signal_id is null and exists (
                    select 1 from produced p where p.tenant_id = a.tenant_id
                    and p.evidence_source_id = a.source_id
                )),
                count(*) filter (where a.generated_churn_signal_id is not null and not exists (
                    select 1 from produced p where p.id = a.generated_churn_signal_id
                    and p.evidence_source_id = a.source_id
                )),
                count(*) filter (where a.generated_churn_signal_id is not null)
            from gold_sentiment_analysis a where a.tenant_id = %s
            """,
            (tenant_x,),
        ).fetchone()
        # A client's last message, analysed, keys its COMMUNICATION_FADE: the analysis does not
        # link to that silence.
        fade_analysed, fade_linked = conn.execute(
            """
            select count(*), count(*) filter (where a.generated_churn_signal_id = s.id)
            from gold_churn_signals s
            join gold_sentiment_analysis a
                on a.tenant_id = s.tenant_id and a.source_id = s.evidence_source_id
            where s.tenant_id = %s and s.signal_type = 'COMMUNICATION_FADE'
            """,
            (tenant_x,),
        ).fetchone()
        app_signal = conn.execute(
            "select s.signal_type::text from gold_sentiment_analysis a "
            "join gold_churn_signals s on s.id = a.generated_churn_signal_id "
            "where a.tenant_id = %s and a.model_name = %s and a.original_text = %s",
            (tenant_x, APP_MODEL, APP_ANALYSED_BODY),
        ).fetchone()
        intents = conn.execute(
            "select intents, primary_intent from gold_sentiment_analysis "
            "where tenant_id = %s and model_name = %s "
            "and original_text like 'Pretul e prea mare%%'",
            (tenant_x, MODEL_NAME),
        ).fetchone()
    assert linked > 0 and unlinked == 0 and wrongly_linked == 0
    assert fade_analysed > 0 and fade_linked == 0
    assert app_signal == ("COMPETITOR_MENTION",)
    assert "COMPLAINT" in intents[0] and intents[1] == intents[0][0]
