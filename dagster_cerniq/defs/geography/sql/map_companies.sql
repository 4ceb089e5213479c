-- The map's points: one tenant's located companies, whether each buys, its state and its
-- active GEOGRAPHIC cluster.
select
    st_x(cast(c.location as geometry)) as longitude,
    st_y(cast(c.location as geometry)) as latitude,
    s.client_id is not null as is_client,
    cast(s.current_state as text) as state,
    m.cluster_id
from gold_clients as c
left join gold_nurturing_state as s on c.tenant_id = s.tenant_id and c.id = s.client_id
left join gold_cluster_members as m
    on
        c.tenant_id = m.tenant_id and c.id = m.client_id and m.left_at is null
        and exists (
            select 1 from gold_clusters as k
            where k.id = m.cluster_id and k.cluster_type = 'GEOGRAPHIC' and k.is_active
        )
where c.tenant_id = %(tenant_id)s and c.location is not null
