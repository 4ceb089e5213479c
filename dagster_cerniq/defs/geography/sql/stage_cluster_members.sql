-- This run's members of each cluster, under the cluster's stored id; its leader is LEADER.
select
    n.tenant_id,
    k.cluster_id,
    n.client_id,
    case when n.client_id = f.leader_client_id then 'LEADER' else 'MEMBER' end as member_role,
    n.distance_to_center_km
from {int_geographic_clusters} as n
inner join geographic_cluster_ids as k
    on n.tenant_id = k.tenant_id and n.cluster_key = k.cluster_key
inner join {fct_geographic_clusters} as f
    on n.tenant_id = f.tenant_id and n.cluster_key = f.cluster_key
where n.tenant_id = any(%(tenants)s::uuid[])
