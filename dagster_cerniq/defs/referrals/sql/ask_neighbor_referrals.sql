-- The neighbour suggestions this step's requests named are asked: the referrer's consent is
-- awaited (seed: PENDING_CONSENT -> AWAITING_CONSENT, consent REQUESTED).
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
    and n.id = cast(named ->> 'referral_id' as uuid)
    and n.status = 'PENDING_CONSENT'
