-- The pairs' proximity scores (fct_client_neighbors): inserted, or updated where one changed.
insert into gold_proximity_scores as p (
    tenant_id, client_a_id, client_b_id, distance_meters, same_county, same_locality,
    proximity_score, computed_at
)
select
    n.tenant_id,
    n.client_a_id,
    n.client_b_id,
    n.distance_meters,
    n.same_county,
    n.same_locality,
    n.proximity_score,
    %(logical_time)s
from {fct_client_neighbors} as n
where n.tenant_id = any(%(tenants)s::uuid[])
on conflict (tenant_id, client_a_id, client_b_id) do update set
    distance_meters = excluded.distance_meters,
    same_county = excluded.same_county,
    same_locality = excluded.same_locality,
    proximity_score = excluded.proximity_score,
    computed_at = excluded.computed_at,
    updated_at = now()
where
p.distance_meters is distinct from excluded.distance_meters
or p.same_county is distinct from excluded.same_county
or p.same_locality is distinct from excluded.same_locality
or p.proximity_score is distinct from excluded.proximity_score
