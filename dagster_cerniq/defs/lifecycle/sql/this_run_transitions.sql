-- The transitions this step applied (its batch), which the follow-ups below read.
select
    a.tenant_id,
    a.client_id,
    a.nurturing_state_id,
    a.trigger_data ->> 'to_state' as to_state
from gold_nurturing_actions as a
where a.batch_id = %(batch_id)s and a.action_type = 'STATE_TRANSITION'
