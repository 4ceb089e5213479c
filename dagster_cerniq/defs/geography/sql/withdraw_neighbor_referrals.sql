-- A neighbour suggestion not yet agreed by the referrer whose contact may no longer be named
-- (int_referral_targets: the company now buys, the contact declined, the location is gone,
-- or the contact is gone) expires: never a suggestion for an existing client or a decliner.
update gold_referrals as r set
    status = 'EXPIRED',
    expiry_reason = case t.ineligible_reason
        when 'IS_CLIENT' then 'TARGET_BECAME_CLIENT'
        when 'DECLINED' then 'TARGET_DECLINED'
        else 'TARGET_NOT_ELIGIBLE'
    end,
    updated_at = now()
from gold_referrals as s
left join {int_referral_targets} as t
    on s.tenant_id = t.tenant_id and s.referred_prospect_id = t.contact_id
where
    r.id = s.id
    and s.tenant_id = any(%(tenants)s::uuid[])
    and s.referral_type = 'NEIGHBOR_STRATEGY'
    and s.referral_source = 'GEO_PROXIMITY'
    and s.status in ('PENDING_CONSENT', 'AWAITING_CONSENT')
    and (t.contact_id is null or t.ineligible_reason is not null)
