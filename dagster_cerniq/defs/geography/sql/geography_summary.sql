-- The step's result per tenant, for its metadata: active neighbour pairs, active clusters and
-- their members, open neighbour suggestions.
select
    t.id as tenant_id,
    (
        select count(*) from gold_entity_relationships as r
        where r.tenant_id = t.id and r.relation_type = 'NEIGHBOR' and r.is_active
    ) as neighbor_pairs,
    (
        select count(*) from gold_clusters as c
        where c.tenant_id = t.id and c.cluster_type = 'GEOGRAPHIC' and c.is_active
    ) as clusters,
    (
        select count(*) from gold_cluster_members as m
        inner join gold_clusters as c on m.cluster_id = c.id
        where
            m.tenant_id = t.id and m.left_at is null and c.cluster_type = 'GEOGRAPHIC'
            and c.is_active
    ) as clustered_companies,
    (
        select count(*) from gold_referrals as r
        where
            r.tenant_id = t.id and r.referral_type = 'NEIGHBOR_STRATEGY'
            and r.referral_source = 'GEO_PROXIMITY'
            and r.status in ('PENDING_CONSENT', 'AWAITING_CONSENT')
    ) as open_suggestions
from tenants as t
where t.id = any(%(tenants)s::uuid[])
order by t.id
