-- The onboarding steps of ONBOARDING clients (fct_onboarding_drips) not yet in
-- gold_content_drips.
select
    d.tenant_id,
    d.client_id,
    d.sequence_name,
    d.step_number,
    d.content_type,
    d.channel,
    d.subject,
    d.scheduled_at,
    s.id as state_id,
    gen_random_uuid() as drip_id,
    gen_random_uuid() as action_id
from {fct_onboarding_drips} as d
inner join gold_nurturing_state as s on d.tenant_id = s.tenant_id and d.client_id = s.client_id
where
    d.tenant_id = any(%(tenants)s::uuid[])
    and s.current_state = 'ONBOARDING'
    and not exists (
        select 1
        from gold_content_drips as g
        where
            g.tenant_id = d.tenant_id
            and g.client_id = d.client_id
            and g.sequence_name = d.sequence_name
            and g.step_number = d.step_number
    )
