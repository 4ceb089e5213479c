-- The state mirrors (SPEC §5): neighbor_count = the client's active NEIGHBOR relationships,
-- geographic_cluster_id = its active GEOGRAPHIC cluster; written only where one changed.
with ends as (
    select
        tenant_id,
        source_entity_id as client_id
    from gold_entity_relationships
    where tenant_id = any(%(tenants)s::uuid[]) and relation_type = 'NEIGHBOR' and is_active
    union all
    select
        tenant_id,
        target_entity_id as client_id
    from gold_entity_relationships
    where tenant_id = any(%(tenants)s::uuid[]) and relation_type = 'NEIGHBOR' and is_active
),

counts as (
    select
        tenant_id,
        client_id,
        count(*) as neighbor_count
    from ends
    group by tenant_id, client_id
),

-- One cluster per client even where rows the app wrote give it two: the latest joined.
memberships as (
    select distinct on (m.tenant_id, m.client_id)
        m.tenant_id,
        m.client_id,
        m.cluster_id
    from gold_cluster_members as m
    inner join gold_clusters as c on m.cluster_id = c.id
    where
        m.tenant_id = any(%(tenants)s::uuid[])
        and m.left_at is null
        and c.cluster_type = 'GEOGRAPHIC'
        and c.is_active
    order by m.tenant_id asc, m.client_id asc, m.joined_at desc, m.cluster_id asc
),

mirrored as (
    select
        s.id,
        coalesce(counts.neighbor_count, 0) as neighbor_count,
        memberships.cluster_id
    from gold_nurturing_state as s
    left join counts on s.tenant_id = counts.tenant_id and s.client_id = counts.client_id
    left join memberships
        on s.tenant_id = memberships.tenant_id and s.client_id = memberships.client_id
    where s.tenant_id = any(%(tenants)s::uuid[])
)

update gold_nurturing_state as s set
    neighbor_count = mirrored.neighbor_count,
    geographic_cluster_id = mirrored.cluster_id,
    updated_at = now()
from mirrored
where
    s.id = mirrored.id
    and (
        s.neighbor_count is distinct from mirrored.neighbor_count
        or s.geographic_cluster_id is distinct from mirrored.cluster_id
    )
