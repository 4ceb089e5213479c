-- The neighbour suggestions this step's requests named (by the referrer and the contact:
-- migration 018's key) are asked: the referrer's consent is awaited (seed: PENDING_CONSENT ->
-- AWAITING_CONSENT, consent REQUESTED).
update gold_referrals as n set
    status = 'AWAITING_CONSENT',
    consent_status = 'REQUESTED',
    consent_asked_at = %(logical_time)s,
    referrer_last_asked_at = %(logical_time)s,
    updated_at = now()
from gold_nurturing_actions as a
cross join lateral jsonb_array_elements(a.trigger_data -> 'neighbor_referrals') as named
where
    a.batch_id = %(batch_id)s
    and a.action_type = 'REFERRAL_REQUEST'
    and n.tenant_id = a.tenant_id
    and n.referrer_client_id = a.client_id
    and n.referral_type = 'NEIGHBOR_STRATEGY'
    and n.referral_source = 'GEO_PROXIMITY'
    and n.referred_prospect_id = cast(named ->> 'contact_id' as uuid)
    and n.status = 'PENDING_CONSENT'
