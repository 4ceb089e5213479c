-- Continued clusters take this run's figures, only where one changed (the name stays).
update gold_clusters as c set
    center_location = f.cluster_center,
    radius_km = f.radius_km,
    county = f.county,
    member_count = f.member_count,
    advocate_count = f.advocate_count,
    total_revenue = f.total_revenue,
    penetration_rate = f.penetration_rate,
    leader_client_id = f.leader_client_id,
    detection_params = f.detection_params,
    updated_at = now()
from {fct_geographic_clusters} as f
inner join geographic_cluster_ids as k
    on f.tenant_id = k.tenant_id and f.cluster_key = k.cluster_key
where
    f.tenant_id = any(%(tenants)s::uuid[])
    and not k.is_new
    and c.id = k.cluster_id
    and (
        cast(c.center_location as text) is distinct from cast(f.cluster_center as text)
        or c.radius_km is distinct from f.radius_km
        or c.county is distinct from f.county
        or c.member_count is distinct from f.member_count
        or c.advocate_count is distinct from f.advocate_count
        or c.total_revenue is distinct from f.total_revenue
        or c.penetration_rate is distinct from f.penetration_rate
        or c.leader_client_id is distinct from f.leader_client_id
        or c.detection_params is distinct from f.detection_params
    )
