-- The map's lines: one tenant's active NEIGHBOR pairs, and its open neighbour suggestions
-- (from the referrer to the prospect).
select
    'NEIGHBOR' as kind,
    st_x(cast(r.location_source_a as geometry)) as longitude_a,
    st_y(cast(r.location_source_a as geometry)) as latitude_a,
    st_x(cast(r.location_source_b as geometry)) as longitude_b,
    st_y(cast(r.location_source_b as geometry)) as latitude_b
from gold_entity_relationships as r
where r.tenant_id = %(tenant_id)s and r.relation_type = 'NEIGHBOR' and r.is_active
union all
select
    'SUGGESTION',
    st_x(cast(a.location as geometry)),
    st_y(cast(a.location as geometry)),
    st_x(cast(b.location as geometry)),
    st_y(cast(b.location as geometry))
from gold_referrals as f
inner join gold_clients as a on f.referrer_client_id = a.id
inner join gold_contacts as p on f.referred_prospect_id = p.id
inner join gold_clients as b on p.client_id = b.id
where
    f.tenant_id = %(tenant_id)s
    and f.referral_type = 'NEIGHBOR_STRATEGY'
    and f.referral_source = 'GEO_PROXIMITY'
    and f.status in ('PENDING_CONSENT', 'AWAITING_CONSENT')
    and a.location is not null
    and b.location is not null
