-- This run's new GEOGRAPHIC clusters (fct_geographic_clusters), under their new ids.
insert into gold_clusters (
    id, tenant_id, cluster_type, cluster_name, center_location, radius_km, county, member_count,
    advocate_count, total_revenue, penetration_rate, leader_client_id, detection_method,
    detection_params, is_active
)
select
    k.cluster_id,
    f.tenant_id,
    'GEOGRAPHIC',
    f.cluster_name,
    f.cluster_center,
    f.radius_km,
    f.county,
    f.member_count,
    f.advocate_count,
    f.total_revenue,
    f.penetration_rate,
    f.leader_client_id,
    'ST_ClusterDBSCAN',
    f.detection_params,
    true
from {fct_geographic_clusters} as f
inner join geographic_cluster_ids as k
    on f.tenant_id = k.tenant_id and f.cluster_key = k.cluster_key
where f.tenant_id = any(%(tenants)s::uuid[]) and k.is_new
