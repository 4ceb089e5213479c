-- A signal the pipeline resolved whose condition holds again is the same signal recurring:
-- its latest row is reopened.
update gold_churn_signals as g set
    is_resolved = false,
    resolved_at = null,
    resolution_type = null,
    is_recurring = true,
    occurrence_count = g.occurrence_count + 1,
    strength = c.strength,
    evidence_text = c.evidence_text,
    evidence_details = c.evidence_details,
    updated_at = now()
from {fct_churn_signal_candidates} as c
where
    c.tenant_id = any(%(tenants)s::uuid[])
    and c.is_active
    and (g.tenant_id, g.client_id, g.signal_type::text, g.evidence_source_id)
    = (c.tenant_id, c.client_id, c.signal_type, c.evidence_source_id)
    and g.id = (
        select latest.id
        from gold_churn_signals as latest
        -- c is the outer update's candidate, which sqlfluff does not see in a subquery.
        where
            (latest.tenant_id, latest.client_id, latest.signal_type::text)
            = (c.tenant_id, c.client_id, c.signal_type)  -- noqa: RF01
            and latest.evidence_source_id = c.evidence_source_id  -- noqa: RF01
        order by latest.is_resolved asc, latest.resolved_at desc nulls last, latest.id asc
        limit 1
    )
    and g.is_resolved
