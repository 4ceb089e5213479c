-- Referrals past expires_at (fct_referrals_expiring) expire.
update gold_referrals as r set
    status = 'EXPIRED',
    expiry_reason = 'EXPIRES_AT_PASSED',
    updated_at = now()
from {fct_referrals_expiring} as e
where
    e.tenant_id = any(%(tenants)s::uuid[])
    and r.id = e.referral_id
    and r.status not in ('CONVERTED', 'REJECTED', 'EXPIRED')
