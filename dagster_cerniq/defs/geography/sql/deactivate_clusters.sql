-- Stored GEOGRAPHIC clusters that no cluster of this run continues end.
update gold_clusters as c set
    is_active = false,
    updated_at = now()
where
    c.tenant_id = any(%(tenants)s::uuid[])
    and c.cluster_type = 'GEOGRAPHIC'
    and c.is_active
    and not exists (
        select 1 from geographic_cluster_ids as k
        where k.cluster_id = c.id
    )
