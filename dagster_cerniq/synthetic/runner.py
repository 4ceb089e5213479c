"""`generate`: synthetic tenants written to a database, one transaction per tenant."""

from __future__ import annotations

import datetime as dt
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass

import numpy as np
import psycopg
from tqdm import tqdm

from dagster_cerniq.synthetic.generator import TenantGenerator
from dagster_cerniq.synthetic.loader import copy_tables, existing_tenants
from dagster_cerniq.synthetic.vocabulary import COMPETITORS

TABLES = (
    "tenants",
    "users",
    "gold_clients",
    "gold_contacts",
    "gold_orders",
    "gold_invoices",
    "gold_client_messages",
    "gold_support_tickets",
    "gold_nps_surveys",
    "gold_referrals",
)

# Tenants load over this many connections at once. The server's foreign-key checks and index
# updates, not Python, take most of the time, and each connection keeps one server core busy;
# generating a tenant's rows overlaps with the other connections' loading.
LOAD_CONNECTIONS = 2


def watch_competitors(conn: psycopg.Connection, tenant_id: uuid.UUID) -> None:
    """The tenant's competitor list (what the sentiment step looks for): the generated ones."""
    with conn.cursor() as cursor:
        cursor.executemany(
            "insert into cerniq_tenant_competitors (id, tenant_id, competitor_name) "
            "values (%s, %s, %s)",
            [(uuid.uuid5(tenant_id, name), tenant_id, name) for name in COMPETITORS],
        )


@dataclass(frozen=True)
class GenerationSummary:
    tenant_ids: list[uuid.UUID]
    rows: dict[str, int]  # table → rows written
    seconds: float


def derived_tenant_id(seed: int, index: int) -> uuid.UUID:
    """The id of tenant `index` of `seed`, whatever the number of tenants generated."""
    raw = np.random.default_rng([seed, index]).integers(0, 256, size=16, dtype=np.uint8)
    return uuid.UUID(bytes=raw.tobytes(), version=4)


def _tenant_ids(seed: int, tenants: int, given: list[uuid.UUID] | None) -> list[uuid.UUID]:
    if given is None:
        return [derived_tenant_id(seed, index) for index in range(tenants)]
    if len(given) != tenants:
        raise ValueError(f"got {len(given)} tenant ids for {tenants} tenants")
    if len(set(given)) != len(given):
        raise ValueError("tenant ids must be distinct")
    return list(given)


def generate(
    conninfo: str,
    tenants: int,
    clients_per_tenant: int,
    seed: int,
    as_of: dt.date,
    progress: bool = True,
    tenant_ids: list[uuid.UUID] | None = None,
) -> GenerationSummary:
    """Generate and load `tenants` tenants of `clients_per_tenant` clients each.

    The rows depend only on (seed, tenant id, clients_per_tenant, as_of); tenant ids derive
    from (seed, tenant index) unless given. Each tenant is committed on its own.
    """
    for name, value in (
        ("tenants", tenants),
        ("clients_per_tenant", clients_per_tenant),
        ("seed", seed),
    ):
        if value < 0:
            raise ValueError(f"{name} must not be negative, got {value}")
    ids = _tenant_ids(seed, tenants, tenant_ids)
    started = time.perf_counter()
    with psycopg.connect(conninfo) as conn:
        clashing = existing_tenants(conn, ids)
    if clashing:
        raise ValueError(
            f"tenant {clashing[0]} already exists; use another --seed or a fresh database"
        )

    rows = dict.fromkeys(TABLES, 0)
    pending = iter(ids)
    lock = threading.Lock()
    stop = threading.Event()

    def load_tenants(bar: tqdm) -> None:
        with psycopg.connect(conninfo) as conn:
            while not stop.is_set():
                with lock:
                    tenant_id = next(pending, None)
                if tenant_id is None:
                    return
                tables = TenantGenerator(seed, tenant_id, clients_per_tenant, as_of).tables()
                copy_tables(conn, tables)
                watch_competitors(conn, tenant_id)
                conn.commit()
                with lock:
                    for table in tables:
                        rows[table.table] += table.rows
                bar.update()

    with (
        tqdm(total=len(ids), unit="tenant", disable=not progress) as bar,
        ThreadPoolExecutor(max_workers=LOAD_CONNECTIONS) as pool,
    ):
        workers = [pool.submit(load_tenants, bar) for _ in range(min(LOAD_CONNECTIONS, len(ids)))]
        try:
            for worker in as_completed(workers):
                worker.result()
        finally:
            # After a failure or an interrupt the other connections finish only their current
            # tenant.
            stop.set()
    return GenerationSummary(ids, rows, time.perf_counter() - started)
