-- One statement: the action and its survey reference each other and land together.
with actions as (
    insert into gold_nurturing_actions (
        id, tenant_id, nurturing_state_id, client_id, action_type, action_category,
        trigger_type, trigger_event, trigger_data, channel, status, scheduled_at,
        correlation_id, batch_id
    )
    select
        action_id,
        tenant_id,
        state_id,
        client_id,
        'NPS_SURVEY',
        'FEEDBACK',
        'EVENT',
        'ORDER_COMPLETED',
        jsonb_build_object('order_id', order_id, 'survey_type', survey_type),
        channel,
        'SCHEDULED',
        scheduled_at,
        survey_id,
        %(batch_id)s
    from nps_surveys_to_schedule
)

insert into gold_nps_surveys (
    id, tenant_id, client_id, nurturing_state_id, order_id, survey_type, channel, status,
    scheduled_at, nurturing_action_id
)
select
    survey_id,
    tenant_id,
    client_id,
    state_id,
    order_id,
    survey_type,
    channel,
    'SCHEDULED',
    scheduled_at,
    action_id
from nps_surveys_to_schedule
