"""B12 `sentiment:analyze` as a Dagster asset: inbound messages of the run's tenants not yet
analysed are analysed (Claude when ANTHROPIC_API_KEY is set, else the offline analyzer) and
written to gold_sentiment_analysis, with their intents; then every analysis of the run's tenants
naming a competitor — this step's or one the Cerniq app wrote itself — has its mentions in
gold_competitor_intel (set-based, added once). The analyzer looks for the tenant's own
competitors (cerniq_tenant_competitors) and the default list of well-known Romanian suppliers
(`offline.DEFAULT_COMPETITORS`).

A message counts as analysed when gold_sentiment_analysis has a row for it (SPEC §2), so a
rerun sends nothing. A message whose analysis fails is recorded in cerniq_sentiment_failures
with its error and attempts and stays pending, until CERNIQ_SENTIMENT_GIVE_UP_ATTEMPTS.

Paid work is kept as it comes: messages are analysed in batches of CERNIQ_SENTIMENT_BATCH_SIZE
(50; identical texts always in one batch, so they still share one call), each written in its own
transaction as soon as it is done, so a crash loses at most the batch in flight and the next run
sends only what is still pending. When the Claude API is unreachable the analyzer's circuit
breaker opens (claude.py): no more calls, the messages not analysed stay pending and are not
counted as failures, and the step is reported degraded — metadata `degraded: true` with the
reason, and the asset check `sentiment_api_reachable` fails.
"""

import json
import os
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace

import psycopg
from dagster import (
    AssetCheckExecutionContext,
    AssetCheckResult,
    AssetCheckSeverity,
    AssetExecutionContext,
    AssetKey,
    MaterializeResult,
    MetadataValue,
    asset_check,
)

from dagster_cerniq.defs.sentiment import offline
from dagster_cerniq.defs.sentiment.claude import (
    AnalysisOutcome,
    ClaudeAnalyzer,
    ClaudeSettings,
    normalise_text,
    text_to_send,
)
from dagster_cerniq.defs.write_back_asset import write_back_asset
from dagster_cerniq.lib.resources import CerniqDatabase
from dagster_cerniq.lib.write_back import (
    Reads,
    RunScope,
    execute,
    fetch,
    run_scope,
    statements,
    write_back,
)

GIVE_UP_ENV = "CERNIQ_SENTIMENT_GIVE_UP_ATTEMPTS"
DEFAULT_GIVE_UP_ATTEMPTS = 12
BATCH_SIZE_ENV = "CERNIQ_SENTIMENT_BATCH_SIZE"
DEFAULT_BATCH_SIZE = 50  # Claude: at most 50 paid calls lost by a crash
OFFLINE_BATCH_SIZE = 1000  # the offline analyzer costs nothing to redo
# Metadata keys the CLI and the asset check read.
DEGRADED_KEY = "degraded"
UNREACHABLE_KEY = "api_unreachable"
LEFT_PENDING_KEY = "messages_left_pending"

READS = Reads()
SQL = statements(__file__, READS)
PENDING_MESSAGES = SQL("pending_messages")
TENANT_COMPETITORS = SQL("tenant_competitors")
INSERT_ANALYSIS = SQL("insert_analysis")
RECORD_INTEL = SQL("record_competitor_intel")
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
    """The tenant's own competitors, then the default ones it does not list itself."""
    rows = conn.execute(TENANT_COMPETITORS.compose(), {"tenant_id": tenant_id}).fetchall()
    return offline.with_default_competitors([name for (name,) in rows])


def batch_size(default: int = DEFAULT_BATCH_SIZE) -> int:
    raw = os.environ.get(BATCH_SIZE_ENV, "").strip()
    if not raw:
        return default
    if not raw.isdigit() or int(raw) < 1:
        raise ValueError(f"{BATCH_SIZE_ENV} must be a whole number ≥ 1, got {raw!r}")
    return int(raw)


def batches(items: Sequence[tuple[str, str]], size: int) -> Iterator[list[tuple[str, str]]]:
    """`items` in batches of about `size`, identical texts (as the analyzer normalises them)
    always in the same batch, so that they still share one analysis."""
    groups: dict[str, list[tuple[str, str]]] = {}
    for key, text in items:
        groups.setdefault(normalise_text(text_to_send(text or "")), []).append((key, text))
    batch: list[tuple[str, str]] = []
    for group in groups.values():
        batch.extend(group)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


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
    # The calls happen outside any transaction: a slow API holds no lock. Each batch is
    # written as soon as it is analysed, in its own transaction.
    analyzer, claude = choose_analyzer()
    totals = {"analysed": 0, "failed": 0, "intel": 0, "left_pending": 0, "batches": 0}
    unreachable: str | None = None
    try:
        size = batch_size(DEFAULT_BATCH_SIZE if claude is not None else OFFLINE_BATCH_SIZE)
        for tenant_id, tenant_competitor_names in competitors.items():
            messages = {row[0]: row for row in pending if row[1] == tenant_id}
            items = [(message_id, row[3]) for message_id, row in messages.items()]
            for batch in batches(items, size):
                unreachable = claude.unreachable if claude is not None else None
                if unreachable:  # the breaker is open: no more calls this run
                    totals["left_pending"] += len(batch)
                    continue
                outcomes = analyzer.analyze_many(batch, tenant_competitor_names)
                # Each batch holds its own tenant's lock only.
                tenant_scope = replace(scope, tenant_ids=[tenant_id])
                counted = _write_batch(context, database, tenant_scope, analyzer, messages,
                                       outcomes, give_up)  # fmt: skip
                for name, value in counted.items():
                    totals[name] += value
                totals["batches"] += 1
        if claude is not None:
            unreachable = claude.unreachable
    finally:
        if claude is not None:
            claude.close()

    with write_back(context, database, scope=scope) as (conn, _):
        totals["intel"] = execute(conn, RECORD_INTEL, scope)
    with database.transaction() as conn:
        given_up = fetch(conn, GIVEN_UP_MESSAGES, scope)
    if unreachable:
        context.log.warning(
            f"sentiment degraded: the Claude API is unreachable ({unreachable}); "
            f"{totals['left_pending']} message(s) left pending for the next run"
        )
    return MaterializeResult(
        metadata={
            "analyzer": f"{analyzer.model_name} {analyzer.model_version}",
            "messages_analysed": totals["analysed"],
            "messages_failed_this_run": totals["failed"],
            "competitor_mentions_written": totals["intel"],
            "write_batches": totals["batches"],
            DEGRADED_KEY: bool(unreachable),
            UNREACHABLE_KEY: unreachable or "",
            LEFT_PENDING_KEY: totals["left_pending"],
            "messages_given_up": MetadataValue.json(
                [{"message_id": m, "attempts": a, "error": e} for m, a, e in given_up]
            ),
        }
    )


def _write_batch(
    context: AssetExecutionContext,
    database: CerniqDatabase,
    scope: RunScope,
    analyzer: Analyzer,
    messages: dict,
    outcomes: Sequence[AnalysisOutcome],
    give_up: int,
) -> dict[str, int]:
    """One batch's outcomes in one transaction (idempotent: a stored analysis is kept)."""
    counted = {"analysed": 0, "failed": 0, "left_pending": 0}
    with write_back(context, database, scope=scope) as (conn, _):
        for outcome in outcomes:
            message_id, tenant_id, client_id, body, sent_at = messages[outcome.key]
            base = {"tenant_id": tenant_id, "message_id": message_id,
                    "client_id": client_id, "sent_at": sent_at}  # fmt: skip
            if outcome.skipped:
                counted["left_pending"] += 1  # not sent: the API is unreachable
                continue
            if outcome.analysis is None:
                failure = {**base, "attempts": max(outcome.attempts, 1),
                           "error": outcome.error, "give_up": give_up}  # fmt: skip
                conn.execute(RECORD_FAILURE.compose(), failure)
                counted["failed"] += 1
                continue
            counted["analysed"] += _store(conn, analyzer, outcome, body, base)
    return counted


@asset_check(
    asset=AssetKey("sentiment_analysis"),
    name="sentiment_api_reachable",
    description=(
        "Fails (ERROR) when the last sentiment_analysis run found the Claude API unreachable: "
        "its circuit breaker opened and the messages not analysed were left pending."
    ),
)
def sentiment_api_reachable(context: AssetCheckExecutionContext) -> AssetCheckResult:
    event = context.instance.get_latest_materialization_event(AssetKey("sentiment_analysis"))
    materialization = event.asset_materialization if event is not None else None
    metadata = materialization.metadata if materialization is not None else {}
    degraded = metadata.get(DEGRADED_KEY)
    reason = metadata.get(UNREACHABLE_KEY)
    left = metadata.get(LEFT_PENDING_KEY)
    is_degraded = bool(degraded.value) if degraded is not None else False
    return AssetCheckResult(
        passed=not is_degraded,
        severity=AssetCheckSeverity.ERROR,
        metadata={
            DEGRADED_KEY: is_degraded,
            UNREACHABLE_KEY: reason.value if reason is not None else "",
            LEFT_PENDING_KEY: left.value if left is not None else 0,
            "run_id": event.run_id if event is not None else "",
        },
    )


def _store(
    conn: psycopg.Connection, analyzer: Analyzer, outcome: AnalysisOutcome, body: str, base: dict
) -> int:
    """Write one analysis; return 1, or 0 when a concurrent run stored it first."""
    analysis = outcome.analysis
    primary = analysis.primary_intent
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
            "intents": json.dumps([intent.value for intent in analysis.intents]),
            "primary_intent": primary.value if primary is not None else None,
            "topics": json.dumps([topic.value for topic in analysis.topics]),
            "products": json.dumps(analysis.mentioned_products),
            "competitors": json.dumps(analysis.mentioned_competitors),
            "indicators": json.dumps([i.value for i in analysis.churn_indicators]),
            "strength": analysis.churn_signal_strength,
            "model_name": analyzer.model_name,
            "model_version": analyzer.model_version,
            "processing_ms": outcome.processing_ms,
        },
    ).fetchone()
    if inserted is None:
        return 0
    conn.execute(FORGET_FAILURE.compose(), base)
    return 1
