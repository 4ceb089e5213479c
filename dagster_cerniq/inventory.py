"""What a tenant's data holds, as readable lines (used by `cerniq show` and `cerniq demo`)."""

from __future__ import annotations

import datetime as dt
from uuid import UUID

import psycopg

from dagster_cerniq.errors import CerniqError

COUNTED_TABLES = (
    "users",
    "gold_clients",
    "gold_contacts",
    "gold_orders",
    "gold_client_messages",
    "gold_invoices",
    "gold_support_tickets",
    "gold_nps_surveys",
)


def tenant_inventory(conn: psycopg.Connection, tenant_id: UUID, as_of: dt.date) -> list[str]:
    name = conn.execute("select name from tenants where id = %s", (tenant_id,)).fetchone()
    if name is None:
        raise CerniqError(f"no tenant with id {tenant_id}")
    lines = [f"Tenant {name[0]} ({tenant_id}), as of {as_of.isoformat()}"]
    counts = {
        table: conn.execute(
            f"select count(*) from {table} where tenant_id = %s", (tenant_id,)
        ).fetchone()[0]
        for table in COUNTED_TABLES
    }
    lines.append("  rows: " + ", ".join(f"{table} {n:,}" for table, n in counts.items()))
    facts = conn.execute(
        """
        with delivered as (
            select client_id, delivered_at from gold_orders
            where tenant_id = %(t)s and status = 'DELIVERED' and delivered_at is not null
        ),
        last_order as (
            select client_id, max(delivered_at) as last_at from delivered group by client_id
        )
        select
            (select count(*) from last_order),
            (select count(*) from last_order where last_at < %(as_of)s::date - 60),
            (select count(*) filter (where extract(month from delivered_at) in (3, 4, 5, 9, 10))
                from delivered),
            (select count(*) from delivered),
            (select count(*) from gold_client_messages
                where tenant_id = %(t)s and direction = 'INBOUND'),
            (select count(*) from gold_invoices
                where tenant_id = %(t)s and paid_at is null and due_at < %(as_of)s::date - 14),
            (select count(*) from gold_support_tickets
                where tenant_id = %(t)s and is_escalated and closed_at is null),
            (select round(avg(score), 1) from gold_nps_surveys
                where tenant_id = %(t)s and responded_at is not null),
            (select count(*) from gold_referrals where tenant_id = %(t)s and converted)
        """,
        {"t": tenant_id, "as_of": as_of},
    ).fetchone()
    buyers, quiet, peak_orders, delivered, inbound, overdue, escalated, nps, referrals = facts
    peak_share = f"{100 * peak_orders / delivered:.0f}%" if delivered else "n/a"
    lines += [
        f"  clients with a completed order: {buyers:,}; quiet for over 60 days: {quiet:,}",
        f"  completed orders in the spring and autumn months: {peak_share}",
        f"  inbound messages: {inbound:,}; invoices unpaid over 14 days past due: {overdue:,}",
        f"  open escalated support tickets: {escalated:,}; average NPS answer: {nps or 'n/a'}; "
        f"converted referrals: {referrals:,}",
    ]
    return lines
