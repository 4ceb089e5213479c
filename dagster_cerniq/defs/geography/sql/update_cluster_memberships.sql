-- Staying members take this run's role and distance to the centre, where one changed.
update gold_cluster_members as m set
    member_role = n.member_role,
    distance_to_center_km = n.distance_to_center_km,
    updated_at = now()
from geographic_cluster_members as n
where
    m.tenant_id = any(%(tenants)s::uuid[])
    and m.left_at is null
    and m.cluster_id = n.cluster_id
    and m.client_id = n.client_id
    and (
        m.member_role is distinct from n.member_role
        or m.distance_to_center_km is distinct from n.distance_to_center_km
    )
