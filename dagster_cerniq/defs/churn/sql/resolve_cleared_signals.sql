-- Active signals no longer detected are resolved, with the resolution their rule names
-- (a message's content signals expire by leaving the lookback window).
update gold_churn_signals as g set
    is_resolved = true,
    resolved_at = %(logical_time)s,
    resolution_type = signal_rule.cleared_resolution,
    updated_at = now()
from {churn_signal_rules} as signal_rule
where
    g.tenant_id = any(%(tenants)s::uuid[])
    and not g.is_resolved
    and signal_rule.signal_type = g.signal_type::text
    and not exists (
        select 1
        from {fct_churn_signal_candidates} as c
        where
            c.is_active
            and (g.tenant_id, g.client_id, g.signal_type::text, g.evidence_source_id)
            = (c.tenant_id, c.client_id, c.signal_type, c.evidence_source_id)
    )
