-- Companies that joined a cluster (all members of a new one): no active membership yet.
select
    n.tenant_id,
    n.cluster_id,
    n.client_id,
    n.member_role,
    n.distance_to_center_km
from geographic_cluster_members as n
where not exists (
    select 1
    from gold_cluster_members as m
    where m.cluster_id = n.cluster_id and m.client_id = n.client_id and m.left_at is null
)
