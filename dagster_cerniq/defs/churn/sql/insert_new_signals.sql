-- Signals detected for the first time under their key.
insert into gold_churn_signals (
    tenant_id, client_id, nurturing_state_id, signal_type, signal_category, strength,
    confidence, detected_at, detection_method, detection_source, evidence_source_type,
    evidence_source_id, evidence_details, evidence_text, first_occurrence_at, trend_direction
)
select
    c.tenant_id,
    c.client_id,
    s.id,
    c.signal_type::churn_signal_type_enum,
    c.signal_category,
    c.strength,
    c.confidence,
    %(logical_time)s,
    'RULE_BASED',
    c.evidence_source_type as detection_source,
    c.evidence_source_type,
    c.evidence_source_id,
    c.evidence_details,
    c.evidence_text,
    c.evidence_at,
    'NEW'
from {fct_churn_signal_candidates} as c
left join gold_nurturing_state as s on c.tenant_id = s.tenant_id and c.client_id = s.client_id
where
    c.tenant_id = any(%(tenants)s::uuid[])
    and c.is_active
    and not exists (
        select 1
        from gold_churn_signals as g
        where
            (g.tenant_id, g.client_id, g.signal_type::text, g.evidence_source_id)
            = (c.tenant_id, c.client_id, c.signal_type, c.evidence_source_id)
    )
on conflict (tenant_id, client_id, signal_type, evidence_source_id)
where is_resolved = false do nothing
