-- Companies that joined a cluster (new_cluster_memberships).
insert into gold_cluster_members (
    tenant_id, cluster_id, client_id, member_role, distance_to_center_km, joined_at
)
select
    n.tenant_id,
    n.cluster_id,
    n.client_id,
    n.member_role,
    n.distance_to_center_km,
    %(logical_time)s
from new_cluster_memberships as n
