-- A pair still (or again) within the radius keeps its one row: updated in place when its
-- distance or locations changed, reactivated (its latest row) when it had been deactivated.
update gold_entity_relationships as r set
    strength = n.strength,
    distance_meters = n.distance_meters,
    location_source_a = n.location_a,
    location_source_b = n.location_b,
    evidence_details = jsonb_build_object(
        'same_county', n.same_county, 'same_locality', n.same_locality
    ),
    is_active = true,
    deactivated_at = null,
    deactivation_reason = null,
    valid_from = case when r.is_active then r.valid_from else %(as_of)s end,
    last_verified_at = %(logical_time)s,
    verification_count = r.verification_count + 1,
    updated_at = now()
from {fct_client_neighbors} as n
where
    n.tenant_id = any(%(tenants)s::uuid[])
    and r.tenant_id = n.tenant_id
    and r.relation_type = 'NEIGHBOR'
    and r.source_entity_id = n.client_a_id
    and r.target_entity_id = n.client_b_id
    and (
        not r.is_active
        or r.distance_meters is distinct from n.distance_meters
        or r.strength is distinct from n.strength
        or cast(r.location_source_a as text) is distinct from cast(n.location_a as text)
        or cast(r.location_source_b as text) is distinct from cast(n.location_b as text)
        or r.evidence_details is distinct from jsonb_build_object(
            'same_county', n.same_county, 'same_locality', n.same_locality
        )
    )
    -- Only the pair's latest row (an app may keep older inactive ones).
    and not exists (
        select 1
        from gold_entity_relationships as other
        where
            other.tenant_id = r.tenant_id
            and other.relation_type = 'NEIGHBOR'
            and other.source_entity_id = r.source_entity_id
            and other.target_entity_id = r.target_entity_id
            and other.id <> r.id
            and (other.is_active or other.updated_at > r.updated_at)
    )
