-- A6's check, answered once the client's referral eligibility has been evaluated.
update gold_nurturing_actions as a set
    status = 'COMPLETED',
    executed_at = %(logical_time)s,
    response_content = case when d.is_due then 'ELIGIBLE' else 'RECENTLY_ASKED' end
from {fct_referral_requests_due} as d
where
    a.tenant_id = any(%(tenants)s::uuid[])
    and a.action_type = 'REFERRAL_ELIGIBILITY_CHECK'
    and a.status = 'PENDING'
    and d.tenant_id = a.tenant_id
    and d.client_id = a.client_id
