-- Relationships the memberships imply that have no row yet (of any evidence: the app may have
-- recorded one itself).
select
    f.tenant_id,
    f.source_entity_type,
    f.source_entity_id,
    f.target_entity_type,
    f.target_entity_id,
    f.relation_type,
    f.relation_subtype,
    f.strength,
    f.confidence_score,
    f.evidence_source_id,
    f.evidence_details,
    f.valid_from
from {fct_affiliation_relations} as f
where
    f.tenant_id = any(%(tenants)s::uuid[])
    and not exists (
        select 1
        from gold_entity_relationships as r
        where
            r.tenant_id = f.tenant_id
            and cast(r.relation_type as text) = f.relation_type
            and r.source_entity_id = f.source_entity_id
            and r.target_entity_id = f.target_entity_id
    )
