-- onboarding_completed_at, which the state machine reads, is set when the sequence ends.
update gold_nurturing_state as s set
    onboarding_completed_at = d.onboarding_completed_at,
    updated_at = now()
from {fct_onboarding_progress} as d
where
    d.tenant_id = any(%(tenants)s::uuid[])
    and d.onboarding_completed_at is not null
    and s.tenant_id = d.tenant_id
    and s.client_id = d.client_id
    and s.current_state = 'ONBOARDING'
    and s.onboarding_completed_at is null
