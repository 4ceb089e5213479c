-- LOYAL_CLIENT -> a referral eligibility check, answered by the referral_requests step.
insert into gold_nurturing_actions (
    tenant_id, nurturing_state_id, client_id, action_type, action_category, trigger_type,
    trigger_event, channel, status, scheduled_at, batch_id
)
select
    moved.tenant_id,
    moved.nurturing_state_id,
    moved.client_id,
    'REFERRAL_ELIGIBILITY_CHECK',
    'REFERRAL',
    'EVENT',
    'STATE_LOYAL_CLIENT',
    'SYSTEM',
    'PENDING',
    %(logical_time)s,
    %(batch_id)s
from this_run_transitions as moved
where moved.to_state = 'LOYAL_CLIENT'
