-- Rows recorded as rejected that no rule rejects any more (the app fixed or deleted them).
update cerniq_rejected_source_rows as s set
    resolved_at = now()
where
    s.tenant_id = any(%(tenants)s::uuid[])
    and s.resolved_at is null
    and not exists (
        select 1
        from {fct_rejected_source_rows} as r
        where r.source_table = s.source_table and r.source_id = s.source_id
    )
