-- SPEC §5: one NEIGHBOR row per new pair, bidirectional, evidence GEO_PROXIMITY. A distance
-- between two stored points is a fact: confidence 100.
insert into gold_entity_relationships (
    tenant_id, source_entity_type, source_entity_id, target_entity_type, target_entity_id,
    relation_type, relation_subtype, strength, confidence_score, bidirectional, evidence_source,
    evidence_details, distance_meters, location_source_a, location_source_b, valid_from,
    last_verified_at, verification_count, is_active
)
select
    n.tenant_id,
    'CLIENT',
    n.client_a_id,
    'CLIENT',
    n.client_b_id,
    'NEIGHBOR',
    'WITHIN_RADIUS',
    n.strength,
    100,
    true,
    'GEO_PROXIMITY',
    jsonb_build_object('same_county', n.same_county, 'same_locality', n.same_locality),
    n.distance_meters,
    n.location_a,
    n.location_b,
    %(as_of)s,
    %(logical_time)s,
    1,
    true
from new_neighbor_pairs as n
