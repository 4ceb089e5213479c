"""B12 `sentiment:analyze` as a Dagster asset: inbound messages of the run's tenants not yet
analysed are analysed (Claude when ANTHROPIC_API_KEY is set, else the offline analyzer) and
written to gold_sentiment_analysis; competitor mentions also go to gold_competitor_intel.

A message counts as analysed when gold_sentiment_analysis has a row for it (SPEC §2), so a
rerun sends nothing. A message whose analysis fails is recorded in cerniq_sentiment_failures
with its error and attempts and stays pending, until CERNIQ_SENTIMENT_GIVE_UP_ATTEMPTS.
"""

import json
import os
import time
from collections.abc import Sequence
from dataclasses import dataclass

import psycopg
from dagster import AssetExecutionContext, BackfillPolicy, MaterializeResult, MetadataValue, asset

from dagster_cerniq.resources import CerniqDatabase
from dagster_cerniq.sentiment import offline
from dagster_cerniq.sentiment.claude import AnalysisOutcome, ClaudeAnalyzer, ClaudeSettings
from dagster_cerniq.tenants import tenant_partitions
from dagster_cerniq.write_back import run_scope, write_back

GIVE_UP_ENV = "CERNIQ_SENTIMENT_GIVE_UP_ATTEMPTS"
DEFAULT_GIVE_UP_ATTEMPTS = 12
CONTEXT_CHARS = 500  # seed: context: text.substring(0, 500)

PENDING_MESSAGES = """
    select m.id::text, m.tenant_id::text, m.client_id, m.body, m.sent_at
    from gold_client_messages m
    where m.tenant_id = any(%(tenants)s::uuid[])
      and m.direction = 'INBOUND'
      and m.sent_at < %(logical_time)s
      and not exists (
          select 1 from gold_sentiment_analysis a
          where a.tenant_id = m.tenant_id and a.source_type = 'MESSAGE' and a.source_id = m.id)
      and not exists (
          select 1 from cerniq_sentiment_failures f
          where f.tenant_id = m.tenant_id and f.message_id = m.id and f.is_given_up)
    order by m.tenant_id, m.sent_at, m.id
"""


@dataclass(frozen=True)
class Analyzer:
    model_name: str
    model_version: str
    analyze_many: object  # (items, competitors) -> list[AnalysisOutcome]


def offline_analyze_many(
    items: Sequence[tuple[str, str]], competitors: Sequence[str]
) -> list[AnalysisOutcome]:
    outcomes = []
    for key, text in items:
        started = time.perf_counter()
        analysis = offline.analyze(text, competitors)
        elapsed = int((time.perf_counter() - started) * 1000)
        outcomes.append(AnalysisOutcome(key, analysis, None, 1, elapsed))
    return outcomes


def choose_analyzer() -> tuple[Analyzer, ClaudeAnalyzer | None]:
    """Claude when ANTHROPIC_API_KEY is set (read now, at run time), else the offline one."""
    settings = ClaudeSettings.from_env()
    if settings is None:
        return Analyzer(offline.MODEL_NAME, offline.MODEL_VERSION, offline_analyze_many), None
    claude = ClaudeAnalyzer(settings)
    return Analyzer(claude.model_name, claude.model_version, claude.analyze_many), claude


def tenant_competitors(conn: psycopg.Connection, tenant_id: str) -> list[str]:
    rows = conn.execute(
        "select competitor_name from cerniq_tenant_competitors "
        "where tenant_id = %s and is_active order by competitor_name",
        (tenant_id,),
    ).fetchall()
    return [name for (name,) in rows]


INSERT_ANALYSIS = """
    insert into gold_sentiment_analysis (
        tenant_id, source_type, source_id, client_id, original_text, cleaned_text, language,
        sentiment_label, sentiment_score, confidence, emotions, dominant_emotion, topics,
        mentioned_products, mentioned_competitors, churn_indicators, churn_signal_strength,
        model_name, model_version, processing_time_ms, source_created_at)
    values (%(tenant_id)s, 'MESSAGE', %(message_id)s, %(client_id)s, %(text)s, %(cleaned)s, 'ro',
            %(label)s, %(score)s, %(confidence)s, %(emotions)s, %(dominant)s, %(topics)s,
            %(products)s, %(competitors)s, %(indicators)s, %(strength)s, %(model_name)s,
            %(model_version)s, %(processing_ms)s, %(sent_at)s)
    on conflict (tenant_id, source_type, source_id) do nothing
    returning id
"""

INSERT_INTEL = """
    insert into gold_competitor_intel (
        tenant_id, client_id, competitor_name, competitor_normalized, source_type, source_id,
        sentiment_analysis_id, context_text, mention_sentiment, mentioned_products,
        price_mentioned, mentioned_at)
    values (%(tenant_id)s, %(client_id)s, %(name)s::text, lower(%(name)s::text), 'MESSAGE',
            %(message_id)s,
            %(analysis_id)s, %(context)s, %(label)s, %(products)s, %(price)s, %(sent_at)s)
    on conflict (tenant_id, source_type, source_id, competitor_normalized) do nothing
"""

RECORD_FAILURE = """
    insert into cerniq_sentiment_failures (tenant_id, message_id, attempts, last_error,
                                           is_given_up)
    values (%(tenant_id)s, %(message_id)s, %(attempts)s::int, %(error)s,
            %(attempts)s::int >= %(give_up)s::int)
    on conflict (tenant_id, message_id) do update set
        attempts = cerniq_sentiment_failures.attempts + excluded.attempts,
        last_error = excluded.last_error,
        is_given_up = cerniq_sentiment_failures.attempts + excluded.attempts >= %(give_up)s::int,
        last_failed_at = now()
"""

# Confidence the seed records for every analysis (B12: confidence 0.85).
ANALYSIS_CONFIDENCE = 0.85


@asset(
    key="sentiment_analysis",
    group_name="sentiment",
    partitions_def=tenant_partitions,
    backfill_policy=BackfillPolicy.single_run(),
    description=(
        "B12: inbound messages not yet analysed, analysed once (Claude or the offline "
        "analyzer) into gold_sentiment_analysis; competitor mentions into gold_competitor_intel."
    ),
)
def sentiment_analysis(
    context: AssetExecutionContext, database: CerniqDatabase
) -> MaterializeResult:
    give_up = int(os.environ.get(GIVE_UP_ENV, DEFAULT_GIVE_UP_ATTEMPTS))
    scope = run_scope(context)
    with database.transaction() as conn:
        pending = conn.execute(PENDING_MESSAGES, scope.params).fetchall()
        competitors = {tenant_id: tenant_competitors(conn, tenant_id) for tenant_id in
                       sorted({row[1] for row in pending})}  # fmt: skip
    # The calls happen outside any transaction: a slow API holds no lock.
    analyzer, claude = choose_analyzer()
    try:
        analysed_batches = []
        for tenant_id, tenant_competitor_names in competitors.items():
            messages = {row[0]: row for row in pending if row[1] == tenant_id}
            outcomes = analyzer.analyze_many(
                [(message_id, row[3]) for message_id, row in messages.items()],
                tenant_competitor_names,
            )
            analysed_batches.append((messages, outcomes))
    finally:
        if claude is not None:
            claude.close()

    analysed = failed = intel = 0
    with write_back(context, database) as (conn, _):
        for messages, outcomes in analysed_batches:
            for outcome in outcomes:
                message_id, tenant_id, client_id, body, sent_at = messages[outcome.key]
                base = {"tenant_id": tenant_id, "message_id": message_id,
                        "client_id": client_id, "sent_at": sent_at}  # fmt: skip
                if outcome.analysis is None:
                    failure = {**base, "attempts": max(outcome.attempts, 1),
                               "error": outcome.error, "give_up": give_up}  # fmt: skip
                    conn.execute(RECORD_FAILURE, failure)
                    failed += 1
                    continue
                intel += _store(conn, analyzer, outcome, body, base)
                analysed += 1
        given_up = conn.execute(
            "select message_id::text, attempts, last_error from cerniq_sentiment_failures "
            "where tenant_id = any(%s::uuid[]) and is_given_up order by message_id limit 20",
            (scope.tenant_ids,),
        ).fetchall()
    return MaterializeResult(
        metadata={
            "analyzer": f"{analyzer.model_name} {analyzer.model_version}",
            "messages_analysed": analysed,
            "messages_failed_this_run": failed,
            "competitor_mentions_written": intel,
            "messages_given_up": MetadataValue.json(
                [{"message_id": m, "attempts": a, "error": e} for m, a, e in given_up]
            ),
        }
    )


def _store(
    conn: psycopg.Connection, analyzer: Analyzer, outcome: AnalysisOutcome, body: str, base: dict
) -> int:
    """Write one analysis and its competitor mentions; return the mentions written."""
    analysis = outcome.analysis
    competitors = analysis.mentioned_competitors
    products = json.dumps(analysis.mentioned_products)
    inserted = conn.execute(
        INSERT_ANALYSIS,
        {
            **base,
            "text": body,
            "cleaned": " ".join(body.split()),
            "label": analysis.sentiment.value,
            "score": analysis.score,
            "confidence": ANALYSIS_CONFIDENCE,
            "emotions": json.dumps(analysis.emotions),
            "dominant": analysis.dominant_emotion,
            "topics": json.dumps([topic.value for topic in analysis.topics]),
            "products": products,
            "competitors": json.dumps(competitors),
            "indicators": json.dumps([i.value for i in analysis.churn_indicators]),
            "strength": analysis.churn_signal_strength,
            "model_name": analyzer.model_name,
            "model_version": analyzer.model_version,
            "processing_ms": outcome.processing_ms,
        },
    ).fetchone()
    if inserted is None:
        return 0  # a concurrent run stored it first
    conn.execute(
        "delete from cerniq_sentiment_failures where tenant_id = %s and message_id = %s",
        (base["tenant_id"], base["message_id"]),
    )
    for name in dict.fromkeys(competitors):
        conn.execute(
            INSERT_INTEL,
            {
                **base,
                "name": name,
                "analysis_id": inserted[0],
                "context": body[:CONTEXT_CHARS],
                "label": analysis.sentiment.value,
                "products": products,
                "price": "PRICE_HIGH" in {topic.value for topic in analysis.topics},
            },
        )
    return len(dict.fromkeys(competitors))
