-- Proximity scores of the pairs that have none yet (new_proximity_pairs).
insert into gold_proximity_scores (
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
from new_proximity_pairs as n
