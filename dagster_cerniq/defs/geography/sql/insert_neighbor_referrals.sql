-- This run's neighbour suggestions (fct_neighbor_referral_suggestions), in the seed's
-- NEIGHBOR_STRATEGY shape: waiting for the referrer's consent (PENDING_CONSENT,
-- PENDING_REQUEST), with the distance, whether the prospect is in the referrer's cluster and
-- that cluster's stored id. Migration 018's key: one suggestion per referrer and contact.
insert into gold_referrals (
    tenant_id, referrer_client_id, referrer_name, referred_prospect_id, referred_contact_name,
    referred_contact_phone, referred_contact_email, referred_company_name, referred_company_cui,
    referral_type, referral_source, consent_status, consent_given, relationship_description,
    relationship_type, distance_from_referrer_km, same_cluster, cluster_id, status, created_at,
    expires_at
)
select
    s.tenant_id,
    s.referrer_client_id,
    s.referrer_name,
    s.contact_id,
    s.referred_contact_name,
    s.referred_contact_phone,
    s.referred_contact_email,
    s.referred_company_name,
    s.referred_company_cui,
    'NEIGHBOR_STRATEGY',
    'GEO_PROXIMITY',
    'PENDING_REQUEST',
    false,
    concat(
        'Vecin la ', s.distance_km, ' km',
        case when s.same_cluster then ', în aceeași zonă' else '' end
    ),
    'NEIGHBOR',
    s.distance_km,
    s.same_cluster,
    k.cluster_id,
    'PENDING_CONSENT',
    %(logical_time)s,
    s.expires_at
from {fct_neighbor_referral_suggestions} as s
left join geographic_cluster_ids as k
    on s.tenant_id = k.tenant_id and s.cluster_key = k.cluster_key
where s.tenant_id = any(%(tenants)s::uuid[])
on conflict (tenant_id, referrer_client_id, referred_prospect_id)
where referral_type = 'NEIGHBOR_STRATEGY' and referral_source = 'GEO_PROXIMITY'
do nothing
