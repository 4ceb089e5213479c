"""What a tenant's data holds, as readable lines (used by `cerniq show` and `cerniq demo`).

Thresholds are the dbt vars' (days_inactive_threshold, payment_delay_grace_days) and the
completed-order rule the database function's, so these lines count what the rules will see."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from uuid import UUID

import psycopg
from psycopg import sql

from dagster_cerniq.defs.dbt.project import dbt_var_defaults
from dagster_cerniq.ops.errors import CerniqError

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
# The farm supply seasons (spring sowing, autumn sowing): a description of the data, no rule.
PEAK_MONTHS = [3, 4, 5, 9, 10]
TENANT_FACTS = Path(__file__).with_name("sql") / "tenant_facts.sql"


def tenant_inventory(conn: psycopg.Connection, tenant_id: UUID, as_of: dt.date) -> list[str]:
    name = conn.execute("select name from tenants where id = %s", (tenant_id,)).fetchone()
    if name is None:
        raise CerniqError(f"no tenant with id {tenant_id}")
    lines = [f"Tenant {name[0]} ({tenant_id}), as of {as_of.isoformat()}"]
    counts = {
        table: conn.execute(
            sql.SQL("select count(*) from {} where tenant_id = %s").format(sql.Identifier(table)),
            (tenant_id,),
        ).fetchone()[0]
        for table in COUNTED_TABLES
    }
    lines.append("  rows: " + ", ".join(f"{table} {n:,}" for table, n in counts.items()))
    variables = dbt_var_defaults()
    inactive_days = variables["days_inactive_threshold"]
    grace_days = variables["payment_delay_grace_days"]
    facts = conn.execute(
        TENANT_FACTS.read_text(encoding="utf-8"),
        {"t": tenant_id, "as_of": as_of, "inactive_days": inactive_days,
         "grace_days": grace_days, "peak_months": PEAK_MONTHS},
    ).fetchone()  # fmt: skip
    buyers, inactive, peak_orders, delivered, inbound, overdue, escalated, nps, referrals = facts
    peak_share = f"{100 * peak_orders / delivered:.0f}%" if delivered else "n/a"
    lines += [
        f"  clients with a completed order: {buyers:,}; "
        f"without one for over {inactive_days} days: {inactive:,}",
        f"  completed orders in the spring and autumn months: {peak_share}",
        f"  inbound messages: {inbound:,}; "
        f"invoices unpaid over {grace_days} days past due: {overdue:,}",
        f"  open escalated support tickets: {escalated:,}; average NPS answer: {nps or 'n/a'}; "
        f"converted referrals: {referrals:,}",
    ]
    return lines
