-- This step's referral requests, as outgoing messages.
select
    a.tenant_id,
    a.client_id,
    a.channel,
    'REFERRAL_REQUEST' as message_type,
    null::varchar as subject,
    a.trigger_data as payload,
    'gold_nurturing_actions' as source_table,
    a.id as source_id
from gold_nurturing_actions as a
where a.batch_id = %(batch_id)s and a.action_type = 'REFERRAL_REQUEST'
