-- Active signals detected again: strength, evidence and trend follow the new detection.
update gold_churn_signals as g set
    strength = c.strength,
    trend_direction = c.trend_direction,
    evidence_text = c.evidence_text,
    evidence_details = c.evidence_details,
    updated_at = now()
from {fct_churn_signal_candidates} as c
where
    c.tenant_id = any(%(tenants)s::uuid[])
    and c.is_active
    and (g.tenant_id, g.client_id, g.signal_type::text, g.evidence_source_id)
    = (c.tenant_id, c.client_id, c.signal_type, c.evidence_source_id)
    and not g.is_resolved
    and g.strength is distinct from c.strength
