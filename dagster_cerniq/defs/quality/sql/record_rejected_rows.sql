-- The rows fct_rejected_source_rows rejects, one row each: a new one is inserted, one seen
-- before takes its current rule and values, last_seen_at now, and is no longer resolved.
-- Returns (new rows, rows rejected now).
with recorded as (
    insert into cerniq_rejected_source_rows (
        source_table, source_id, tenant_id, client_id, rule, detail
    )
    select
        r.source_table,
        r.source_id,
        r.tenant_id,
        r.client_id,
        r.rejected_rule,
        r.rejection_detail
    from {fct_rejected_source_rows} as r
    where r.tenant_id = any(%(tenants)s::uuid[])
    on conflict (source_table, source_id) do update
        set
            tenant_id = excluded.tenant_id,
            client_id = excluded.client_id,
            rule = excluded.rule,
            detail = excluded.detail,
            last_seen_at = now(),
            resolved_at = null
    returning xmax = 0 as is_new
)

select
    count(*) filter (where is_new) as new_rows,
    count(*) as rejected_rows
from recorded
