-- Cluster identity across runs: a cluster of this run keeps the id of the stored active
-- GEOGRAPHIC cluster most of whose members it holds (of two such, the one it shares most
-- with); any other is new and gets a new id. A rerun finds its own clusters: no new id.
with previous as (
    select
        m.tenant_id,
        m.cluster_id,
        m.client_id,
        count(*) over (partition by m.cluster_id) as previous_size
    from gold_cluster_members as m
    inner join gold_clusters as c on m.cluster_id = c.id
    where
        m.tenant_id = any(%(tenants)s::uuid[])
        and m.left_at is null
        and c.is_active
        and c.cluster_type = 'GEOGRAPHIC'
),

shared_members as (
    select
        n.tenant_id,
        n.cluster_key,
        p.cluster_id,
        count(*) as shared,
        max(p.previous_size) as previous_size
    from {int_geographic_clusters} as n
    inner join previous as p on n.tenant_id = p.tenant_id and n.client_id = p.client_id
    where n.tenant_id = any(%(tenants)s::uuid[])
    group by n.tenant_id, n.cluster_key, p.cluster_id
),

continued as (
    select distinct on (tenant_id, cluster_key)
        tenant_id,
        cluster_key,
        cluster_id
    from shared_members
    where 2 * shared > previous_size
    order by tenant_id asc, cluster_key asc, shared desc, cluster_id asc
)

select
    f.tenant_id,
    f.cluster_key,
    coalesce(continued.cluster_id, gen_random_uuid()) as cluster_id,
    continued.cluster_id is null as is_new
from {fct_geographic_clusters} as f
left join continued on f.tenant_id = continued.tenant_id and f.cluster_key = continued.cluster_key
where f.tenant_id = any(%(tenants)s::uuid[])
