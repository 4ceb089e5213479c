"""The floor: the least work any implementation must do, as a physical reference. One SQL pass
reads every order, message and invoice of the data once (as of the date) and writes one row per
client into a fresh table; nothing else is computed."""

import datetime as dt

from dagster_cerniq.lib.run_dates import logical_time

FLOOR_TABLE = "benchmark_floor_client_pass"


def floor_statement(as_of: dt.date) -> str:
    end = logical_time(as_of).isoformat()
    return f"""
        drop table if exists {FLOOR_TABLE};
        create table {FLOOR_TABLE} as
        select c.tenant_id, c.id as client_id,
               o.completed_orders, o.revenue, o.last_delivered_at,
               m.inbound_messages, m.last_inbound_at,
               i.unpaid_invoices, i.oldest_unpaid_due_at
        from gold_clients c
        left join (
            select client_id,
                   count(*) filter (where status = 'DELIVERED') as completed_orders,
                   sum(total_value) filter (where status = 'DELIVERED') as revenue,
                   max(delivered_at) as last_delivered_at
            from gold_orders where coalesce(delivered_at, ordered_at) < '{end}'
            group by client_id
        ) o on o.client_id = c.id
        left join (
            select client_id,
                   count(*) filter (where direction = 'INBOUND') as inbound_messages,
                   max(sent_at) filter (where direction = 'INBOUND') as last_inbound_at
            from gold_client_messages where sent_at < '{end}'
            group by client_id
        ) m on m.client_id = c.id
        left join (
            select client_id,
                   count(*) filter (where paid_at is null) as unpaid_invoices,
                   min(due_at) filter (where paid_at is null) as oldest_unpaid_due_at
            from gold_invoices where issued_at < '{end}'
            group by client_id
        ) i on i.client_id = c.id
    """


def input_rows_statement(as_of: dt.date) -> str:
    """How many source rows (orders, messages, invoices) a run as of the date reads."""
    end = logical_time(as_of).isoformat()
    return f"""
        select
            (select count(*) from gold_orders
             where tenant_id = any(%(tenants)s) and coalesce(delivered_at, ordered_at) < '{end}')
          + (select count(*) from gold_client_messages
             where tenant_id = any(%(tenants)s) and sent_at < '{end}')
          + (select count(*) from gold_invoices
             where tenant_id = any(%(tenants)s) and issued_at < '{end}')
    """
