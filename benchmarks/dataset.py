"""The benchmark's data: fresh databases on the server, generated tenants, their inbound messages
analysed once (B12 is not part of the comparison), and identical copies for each contender.

Only the messages some run can read are analysed by the offline analyzer: the message signals
look back `message_signal_lookback_days` from a run's as-of date, so messages sent before that
window of the first run are never read by any rule, of the pipeline or the baseline. They are
recorded as analysed (neutral, model `benchmark-not-analysed`) without running the analyzer,
which at 3.5 million messages would take longer than every contender together; the pipeline's
sentiment step then finds nothing pending, as after any earlier run."""

import datetime as dt
import json
import multiprocessing
import time
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

import psycopg

from dagster_cerniq.defs.sentiment import offline
from dagster_cerniq.lib.run_dates import logical_time
from dagster_cerniq.ops import migrations
from dagster_cerniq.ops.database import with_database
from dagster_cerniq.ops.instance import storage_database
from dagster_cerniq.synthetic import generate

# What the sentiment asset stores for one analysis (dagster_cerniq/sentiment/asset.py `_store`),
# written here in bulk: the asset writes a row at a time, which at 3 million messages takes
# longer than everything else together.
ANALYSIS_COLUMNS = (
    "id", "tenant_id", "source_type", "source_id", "client_id", "original_text", "cleaned_text",
    "language", "sentiment_label", "sentiment_score", "confidence", "emotions",
    "dominant_emotion", "topics", "mentioned_products", "mentioned_competitors",
    "churn_indicators", "churn_signal_strength", "model_name", "model_version",
    "processing_time_ms", "source_created_at",
)  # fmt: skip
INTEL_COLUMNS = (
    "tenant_id", "client_id", "competitor_name", "competitor_normalized", "source_type",
    "source_id", "sentiment_analysis_id", "context_text", "mention_sentiment",
    "mentioned_products", "price_mentioned", "mentioned_at",
)  # fmt: skip
ANALYSIS_CONFIDENCE = 0.85  # the seed's B12 confidence
CONTEXT_CHARS = 500  # the seed's competitor context: text.substring(0, 500)
ANALYSIS_BATCH = 20_000

# The messages some run reads (those before are marked by MARK_UNREAD), streamed unsorted.
READ_MESSAGES = """
    select id, tenant_id, client_id, body, sent_at from gold_client_messages
    where direction = 'INBOUND' and sent_at >= %s and sent_at < %s
"""

# The messages no run's rules read, recorded as analysed (see the module's docstring).
MARK_UNREAD = """
    insert into gold_sentiment_analysis (
        tenant_id, source_type, source_id, client_id, original_text, cleaned_text, language,
        sentiment_label, sentiment_score, confidence, emotions, topics, mentioned_products,
        mentioned_competitors, churn_indicators, churn_signal_strength, model_name,
        model_version, processing_time_ms, source_created_at)
    select m.tenant_id, 'MESSAGE', m.id, m.client_id, m.body, m.body, 'ro', 'NEUTRAL', 0, %s,
           '{}', '[]', '[]', '[]', '[]', 0, 'benchmark-not-analysed', '1', 0, m.sent_at
    from gold_client_messages m
    where m.direction = 'INBOUND' and m.sent_at < %s
"""

COMPETITORS = """
    select tenant_id, array_agg(competitor_name order by competitor_name)
    from cerniq_tenant_competitors where is_active group by tenant_id
"""


@dataclass(frozen=True)
class Dataset:
    url: str
    tenant_ids: list[uuid.UUID]
    clients: int
    build_seconds: float  # generation, message analysis and statistics


def database_url(admin_url: str, name: str) -> str:
    return with_database(admin_url, name)


def create_database(admin_url: str, name: str, template: str | None = None) -> str:
    """A new database (a file copy of `template` when given); returns its URL."""
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'drop database if exists "{name}" with (force)')
        if template:
            conn.execute(f'create database "{name}" template "{template}" strategy file_copy')
        else:
            conn.execute(f'create database "{name}"')
    return database_url(admin_url, name)


def drop_databases(admin_url: str, names: Sequence[str]) -> None:
    """Drop these databases and the Dagster storage database of each."""
    with psycopg.connect(admin_url, autocommit=True) as conn:
        for name in names:
            for database in (name, storage_database(database_url(admin_url, name))):
                conn.execute(f'drop database if exists "{database}" with (force)')


@contextmanager
def databases(admin_url: str) -> Iterator[list[str]]:
    """Names of the databases created inside the block, all dropped after it."""
    created: list[str] = []
    try:
        yield created
    finally:
        drop_databases(admin_url, created)


def build_dataset(
    admin_url: str,
    name: str,
    tenants: int,
    clients_per_tenant: int,
    seed: int,
    generated_as_of: dt.date,
    analysed_from: dt.datetime,
) -> Dataset:
    """A fresh migrated database with generated tenants whose inbound messages, from
    `analysed_from` to the end of `generated_as_of`, are analysed by the offline analyzer (the
    older ones are recorded as not analysed)."""
    started = time.perf_counter()
    url = create_database(admin_url, name)
    migrations.apply_pending(url)
    summary = generate(
        url, tenants, clients_per_tenant, seed, generated_as_of, progress=False
    )  # fmt: skip
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(MARK_UNREAD, (ANALYSIS_CONFIDENCE, analysed_from))
    analyse_messages(url, analysed_from, logical_time(generated_as_of))
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("vacuum analyze")
    return Dataset(
        url=url,
        tenant_ids=sorted(summary.tenant_ids),
        clients=summary.rows["gold_clients"],
        build_seconds=time.perf_counter() - started,
    )


def existing_dataset(admin_url: str, name: str) -> Dataset:
    """A dataset an earlier `--keep-databases` run built (same seed and dates): only read and
    copied, never changed or dropped."""
    url = database_url(admin_url, name)
    with psycopg.connect(url) as conn:
        tenant_ids = [tenant_id for (tenant_id,) in conn.execute("select id from tenants")]
        (clients,) = conn.execute("select count(*) from gold_clients").fetchone()
    if not tenant_ids:
        raise ValueError(f"database {name} holds no tenants: not a benchmark dataset")
    return Dataset(url=url, tenant_ids=sorted(tenant_ids), clients=clients, build_seconds=0.0)


def analyse_messages(url: str, since: dt.datetime, before: dt.datetime) -> int:
    """Analyse the inbound messages sent from `since` to `before`, as the sentiment asset does
    (offline analyzer), on all cores; returns the number analysed."""
    with psycopg.connect(url) as conn:
        competitors = dict(conn.execute(COMPETITORS).fetchall())
        analysed = 0
        pool = multiprocessing.get_context("spawn").Pool()
        try:
            with conn.cursor(name="read_messages") as cursor:
                cursor.execute(READ_MESSAGES, (since, before))
                while batch := cursor.fetchmany(ANALYSIS_BATCH):
                    chunks = [batch[i : i + 1000] for i in range(0, len(batch), 1000)]
                    jobs = [(chunk, competitors) for chunk in chunks]
                    with psycopg.connect(url) as writer:
                        for analyses, intel in pool.imap(_analyse_chunk, jobs):
                            _copy(writer, "gold_sentiment_analysis", ANALYSIS_COLUMNS, analyses)
                            _copy(writer, "gold_competitor_intel", INTEL_COLUMNS, intel)
                    analysed += len(batch)
        finally:
            # Closed and joined, not terminated (the context manager's exit): the workers import
            # Dagster, whose SIGTERM handler can keep a terminated worker alive, and terminate()
            # then waits for it forever (a CI run hung there).
            pool.close()
            pool.join()
    return analysed


def _copy(conn: psycopg.Connection, table: str, columns: Sequence[str], rows: list) -> None:
    with conn.cursor().copy(f"copy {table} ({', '.join(columns)}) from stdin") as copy:
        for row in rows:
            copy.write_row(row)


def _analyse_chunk(job: tuple[list[tuple], dict[uuid.UUID, list[str]]]) -> tuple[list, list]:
    messages, competitors = job
    analyses, intel = [], []
    for message_id, tenant_id, client_id, body, sent_at in messages:
        analysis = offline.analyze(body, competitors.get(tenant_id, []))
        analysis_id = uuid.uuid4()
        topics = [topic.value for topic in analysis.topics]
        products = json.dumps(analysis.mentioned_products)
        analyses.append(
            (
                analysis_id, tenant_id, "MESSAGE", message_id, client_id, body,
                " ".join(body.split()), "ro", analysis.sentiment.value,
                # As psycopg sends a float and PostgreSQL makes it numeric: 15 digits.
                f"{analysis.score:.15g}", ANALYSIS_CONFIDENCE, json.dumps(analysis.emotions),
                analysis.dominant_emotion, json.dumps(topics), products,
                json.dumps(analysis.mentioned_competitors),
                json.dumps([indicator.value for indicator in analysis.churn_indicators]),
                analysis.churn_signal_strength, offline.MODEL_NAME, offline.MODEL_VERSION, 0,
                sent_at,
            )
        )  # fmt: skip
        for name in dict.fromkeys(analysis.mentioned_competitors):
            intel.append(
                (
                    tenant_id, client_id, name, name.lower(), "MESSAGE", message_id, analysis_id,
                    body[:CONTEXT_CHARS], analysis.sentiment.value, products,
                    "PRICE_HIGH" in topics, sent_at,
                )
            )  # fmt: skip
    return analyses, intel


def clone(admin_url: str, source: str, name: str) -> str:
    return create_database(admin_url, name, template=source)
