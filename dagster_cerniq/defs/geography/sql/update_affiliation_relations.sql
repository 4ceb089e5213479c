-- A relationship the memberships still (or again) imply keeps its one row: updated in place
-- where it changed, reactivated (its latest row) when it had been deactivated.
update gold_entity_relationships as r set
    relation_subtype = f.relation_subtype,
    strength = f.strength,
    confidence_score = f.confidence_score,
    evidence_source_id = f.evidence_source_id,
    evidence_details = f.evidence_details,
    valid_from = f.valid_from,
    is_active = true,
    deactivated_at = null,
    deactivation_reason = null,
    last_verified_at = %(logical_time)s,
    verification_count = r.verification_count + 1,
    updated_at = now()
from {fct_affiliation_relations} as f
where
    f.tenant_id = any(%(tenants)s::uuid[])
    and r.tenant_id = f.tenant_id
    and cast(r.relation_type as text) = f.relation_type
    and r.source_entity_id = f.source_entity_id
    and r.target_entity_id = f.target_entity_id
    and r.evidence_source = 'AFFILIATION'
    and (
        not r.is_active
        or r.relation_subtype is distinct from f.relation_subtype
        or r.strength is distinct from f.strength
        or r.confidence_score is distinct from f.confidence_score
        or r.evidence_source_id is distinct from f.evidence_source_id
        or r.evidence_details is distinct from f.evidence_details
        or r.valid_from is distinct from f.valid_from
    )
    -- Only the key's latest row, and never beside another active one.
    and not exists (
        select 1
        from gold_entity_relationships as other
        where
            other.tenant_id = r.tenant_id
            and other.relation_type = r.relation_type
            and other.source_entity_id = r.source_entity_id
            and other.target_entity_id = r.target_entity_id
            and other.id <> r.id
            and (other.is_active or other.updated_at > r.updated_at)
    )
