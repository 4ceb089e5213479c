-- One statement: the action and its drip reference each other and land together.
with actions as (
    insert into gold_nurturing_actions (
        id, tenant_id, nurturing_state_id, client_id, action_type, action_category,
        trigger_type, trigger_event, trigger_data, channel, content_subject, status,
        scheduled_at, correlation_id, batch_id
    )
    select
        action_id,
        tenant_id,
        state_id,
        client_id,
        'CONTENT_DRIP',
        'NURTURING',
        'SCHEDULED',
        'ONBOARDING_SEQUENCE',
        jsonb_build_object(
            'sequence_name', sequence_name, 'step_number', step_number,
            'content_type', content_type
        ),
        channel,
        subject,
        'SCHEDULED',
        scheduled_at,
        drip_id,
        %(batch_id)s
    from onboarding_steps_to_schedule
)

insert into gold_content_drips (
    id, tenant_id, client_id, nurturing_state_id, sequence_name, step_number, content_type,
    channel, content_subject, status, scheduled_at, nurturing_action_id
)
select
    drip_id,
    tenant_id,
    client_id,
    state_id,
    sequence_name,
    step_number,
    content_type::content_type_enum,
    channel,
    subject,
    'SCHEDULED',
    scheduled_at,
    action_id
from onboarding_steps_to_schedule
