-- Pairs within the radius that have no row yet.
select
    n.tenant_id,
    n.client_a_id,
    n.client_b_id,
    n.location_a,
    n.location_b,
    n.distance_meters,
    n.same_county,
    n.same_locality,
    n.strength
from {fct_client_neighbors} as n
where
    n.tenant_id = any(%(tenants)s::uuid[])
    and not exists (
        select 1
        from gold_entity_relationships as r
        where
            r.tenant_id = n.tenant_id
            and r.relation_type = 'NEIGHBOR'
            and r.source_entity_id = n.client_a_id
            and r.target_entity_id = n.client_b_id
    )
