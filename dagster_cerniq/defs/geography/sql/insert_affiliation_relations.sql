-- One row per new MEMBER_OF or SAME_ASSOCIATION relationship, evidence AFFILIATION; a
-- membership is one way, a shared organisation both ways.
insert into gold_entity_relationships (
    tenant_id, source_entity_type, source_entity_id, target_entity_type, target_entity_id,
    relation_type, relation_subtype, strength, confidence_score, bidirectional, evidence_source,
    evidence_source_id, evidence_details, valid_from, last_verified_at, verification_count,
    is_active
)
select
    n.tenant_id,
    n.source_entity_type,
    n.source_entity_id,
    n.target_entity_type,
    n.target_entity_id,
    cast(n.relation_type as relation_type_enum),
    n.relation_subtype,
    n.strength,
    n.confidence_score,
    n.relation_type = 'SAME_ASSOCIATION',
    'AFFILIATION',
    n.evidence_source_id,
    n.evidence_details,
    n.valid_from,
    %(logical_time)s,
    1,
    true
from new_affiliation_relations as n
