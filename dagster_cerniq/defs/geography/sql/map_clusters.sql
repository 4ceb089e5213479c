-- The map's circles: one tenant's active GEOGRAPHIC clusters, centre and radius.
select
    st_x(cast(center_location as geometry)) as longitude,
    st_y(cast(center_location as geometry)) as latitude,
    radius_km,
    cluster_name,
    member_count,
    advocate_count
from gold_clusters
where tenant_id = %(tenant_id)s and cluster_type = 'GEOGRAPHIC' and is_active
order by member_count desc, id asc
