-- Too late to be worth sending (past the tenant's send window), or the client left onboarding.
with closed as (
    update gold_content_drips as g set
        status = case when s.current_state = 'ONBOARDING' then 'SKIPPED' else 'CANCELLED' end,
        updated_at = now()
    from gold_nurturing_state as s
    left join {fct_onboarding_drips} as d
        on s.tenant_id = d.tenant_id and s.client_id = d.client_id
    where
        g.tenant_id = any(%(tenants)s::uuid[])
        and g.status = 'SCHEDULED'
        and s.tenant_id = g.tenant_id
        and s.client_id = g.client_id
        and (d.step_number is null or d.step_number = g.step_number)
        -- No step row: the sequence ended before the send window (history).
        and (
            s.current_state != 'ONBOARDING' or d.step_number is null
            or (d.is_due and d.is_past_send_window)
        )
    returning g.nurturing_action_id, g.status
),

actions as (
    update gold_nurturing_actions as a set status = closed.status
    from closed
    where a.id = closed.nurturing_action_id
)

select count(*) from closed
