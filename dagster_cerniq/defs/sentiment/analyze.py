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
from dagster import AssetExecutionContext, MaterializeResult, MetadataValue

from dagster_cerniq.defs.sentiment import offline
from dagster_cerniq.defs.sentiment.claude import AnalysisOutcome, ClaudeAnalyzer, ClaudeSettings
from dagster_cerniq.defs.write_back_asset import write_back_asset
from dagster_cerniq.lib.resources import CerniqDatabase
from dagster_cerniq.lib.write_back import Reads, fetch, run_scope, statements, write_back

GIVE_UP_ENV = "CERNIQ_SENTIMENT_GIVE_UP_ATTEMPTS"
DEFAULT_GIVE_UP_ATTEMPTS = 12
CONTEXT_CHARS = 500  # seed: context: text.substring(0, 500)

READS = Reads()
SQL = statements(__file__, READS)
PENDING_MESSAGES = SQL("pending_messages")
TENANT_COMPETITORS = SQL("tenant_competitors")
INSERT_ANALYSIS = SQL("insert_analysis")
INSERT_INTEL = SQL("insert_competitor_intel")
RECORD_FAILURE = SQL("record_failure")
FORGET_FAILURE = SQL("forget_failure")
GIVEN_UP_MESSAGES = SQL("given_up_messages")


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
    rows = conn.execute(TENANT_COMPETITORS.compose(), {"tenant_id": tenant_id}).fetchall()
    return [name for (name,) in rows]


# Confidence the seed records for every analysis (B12: confidence 0.85).
ANALYSIS_CONFIDENCE = 0.85


@write_back_asset(
    key="sentiment_analysis",
    worker="B12",
    reads=READS,
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
        pending = fetch(conn, PENDING_MESSAGES, scope)
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
                    conn.execute(RECORD_FAILURE.compose(), failure)
                    failed += 1
                    continue
                intel += _store(conn, analyzer, outcome, body, base)
                analysed += 1
        given_up = fetch(conn, GIVEN_UP_MESSAGES, scope)
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
        INSERT_ANALYSIS.compose(),
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
    conn.execute(FORGET_FAILURE.compose(), base)
    for name in dict.fromkeys(competitors):
        conn.execute(
            INSERT_INTEL.compose(),
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
