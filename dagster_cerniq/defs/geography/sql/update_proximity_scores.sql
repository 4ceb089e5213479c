-- The pairs' proximity scores (fct_client_neighbors), where one changed. New pairs are inserted
-- after (insert_proximity_scores): a rerun then compares rows, and checks no conflict per pair.
update gold_proximity_scores as p set
    distance_meters = n.distance_meters,
    same_county = n.same_county,
    same_locality = n.same_locality,
    proximity_score = n.proximity_score,
    computed_at = %(logical_time)s,
    updated_at = now()
from {fct_client_neighbors} as n
where
    n.tenant_id = any(%(tenants)s::uuid[])
    and p.tenant_id = n.tenant_id
    and p.client_a_id = n.client_a_id
    and p.client_b_id = n.client_b_id
    and (
        p.distance_meters is distinct from n.distance_meters
        or p.same_county is distinct from n.same_county
        or p.same_locality is distinct from n.same_locality
        or p.proximity_score is distinct from n.proximity_score
    )
