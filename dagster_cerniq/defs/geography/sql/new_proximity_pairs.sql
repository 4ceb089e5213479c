-- Pairs that have no proximity score yet.
select
    n.tenant_id,
    n.client_a_id,
    n.client_b_id,
    n.distance_meters,
    n.same_county,
    n.same_locality,
    n.proximity_score
from {fct_client_neighbors} as n
where
    n.tenant_id = any(%(tenants)s::uuid[])
    and not exists (
        select 1
        from gold_proximity_scores as p
        where
            p.tenant_id = n.tenant_id
            and p.client_a_id = n.client_a_id
            and p.client_b_id = n.client_b_id
    )
