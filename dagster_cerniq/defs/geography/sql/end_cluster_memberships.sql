-- A company that is no longer in a GEOGRAPHIC cluster (moved, lost its location, the cluster
-- ended) leaves it.
update gold_cluster_members as m set
    left_at = %(logical_time)s,
    updated_at = now()
from gold_clusters as c
where
    m.tenant_id = any(%(tenants)s::uuid[])
    and m.left_at is null
    and c.id = m.cluster_id
    and c.cluster_type = 'GEOGRAPHIC'
    and not exists (
        select 1
        from geographic_cluster_members as n
        where n.cluster_id = m.cluster_id and n.client_id = m.client_id
    )
