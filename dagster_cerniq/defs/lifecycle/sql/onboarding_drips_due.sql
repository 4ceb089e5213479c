-- The scheduled onboarding steps due and still within the send window, as outgoing messages
-- (lib/outbox.py MESSAGE_COLUMNS).
select
    g.tenant_id,
    g.client_id,
    g.channel,
    'CONTENT_DRIP' as message_type,
    g.content_subject as subject,
    jsonb_build_object(
        'sequence_name', g.sequence_name, 'step_number', g.step_number,
        'content_type', g.content_type
    ) as payload,
    'gold_content_drips' as source_table,
    g.id as source_id
from gold_content_drips as g
inner join {fct_onboarding_drips} as d
    on
        g.tenant_id = d.tenant_id
        and g.client_id = d.client_id
        and g.sequence_name = d.sequence_name
        and g.step_number = d.step_number
where
    g.tenant_id = any(%(tenants)s::uuid[])
    and g.status = 'SCHEDULED'
    and d.is_due
    and not d.is_past_send_window
