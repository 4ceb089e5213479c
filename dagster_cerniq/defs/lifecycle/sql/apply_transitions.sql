-- A6: each proposed transition (fct_state_eligibility) applied with its STATE_TRANSITION audit
-- row; only if the state is still the one evaluated: a concurrent run's move wins, this one
-- no-ops.
with proposed as (
    select e.*
    from {fct_state_eligibility} as e
    where e.tenant_id = any(%(tenants)s::uuid[]) and e.proposed_state is not null
),

moved as (
    update gold_nurturing_state as s set
        previous_state = s.current_state,
        current_state = p.proposed_state::nurturing_state_enum,
        state_changed_at = %(logical_time)s,
        is_advocate = s.is_advocate or p.proposed_state = 'ADVOCATE',
        advocate_since = case
            when p.proposed_state = 'ADVOCATE'
                then coalesce(s.advocate_since, %(logical_time)s)
            else s.advocate_since
        end,
        updated_at = now()
    from proposed as p
    where
        s.tenant_id = p.tenant_id
        and s.client_id = p.client_id
        and s.current_state::text = p.current_state
    returning
        s.id, s.tenant_id, s.client_id, p.current_state, p.proposed_state, p.transition_reason
)

insert into gold_nurturing_actions (
    tenant_id, nurturing_state_id, client_id, action_type, action_category, trigger_type,
    trigger_event, trigger_data, channel, status, executed_at, batch_id
)
select
    tenant_id,
    id,
    client_id,
    'STATE_TRANSITION',
    'SYSTEM',
    'EVENT',
    current_state || ' -> ' || proposed_state,
    jsonb_build_object(
        'reason', transition_reason, 'from_state', current_state,
        'to_state', proposed_state, 'as_of', %(as_of)s::text
    ),
    'SYSTEM',
    'COMPLETED',
    %(logical_time)s,
    %(batch_id)s
from moved
