{{ config(indexes=[{'columns': ['tenant_id', 'client_id']}]) }}

-- B9 COMMUNICATION_FADE: the client wrote before, but no inbound message for more than the fade
-- days; measure = days beyond that. Keyed by the last inbound message.
with messages as (
    select * from {{ ref('stg_cerniq__client_messages') }}
),

last_inbound as (
    select
        tenant_id,
        client_id,
        max(sent_at) as last_inbound_at,
        (array_agg(message_id order by sent_at desc, message_id desc))[1] as last_message_id
    from messages
    where
        {{ tenant_filter('tenant_id') }}
        and direction = 'INBOUND'
        and {{ seen_as_of('sent_at') }}
    group by tenant_id, client_id
),

silent as (
    select
        *,
        {{ days_before_as_of('last_inbound_at') }} as days_silent
    from last_inbound
),

final as (
    select
        tenant_id,
        client_id,
        'COMMUNICATION_FADE' as signal_type,
        'MESSAGE' as evidence_source_type,
        last_message_id as evidence_source_id,
        cast(days_silent - {{ var('communication_fade_days') }} as numeric) as measure,
        'No inbound message for ' || days_silent || ' days' as evidence_text,
        jsonb_build_object('days_silent', days_silent) as evidence_details,
        last_inbound_at as evidence_at
    from silent
    where days_silent > {{ var('communication_fade_days') }}
)

select * from final
