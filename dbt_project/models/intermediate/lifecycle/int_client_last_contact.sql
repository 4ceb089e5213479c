{{ config(indexes=[{'columns': ['tenant_id', 'client_id'], 'unique': true}]) }}

-- Per client with a message up to the as-of date: its latest message either way (SPEC §5
-- days_since_last_contact) and its latest inbound one (last_interaction_at).
with messages as (
    select * from {{ ref('stg_cerniq__client_messages') }}
    where
        {{ tenant_filter('tenant_id') }}
        and {{ seen_as_of('sent_at') }}
),

final as (
    select
        tenant_id,
        client_id,
        max(sent_at) as last_message_at,
        max(sent_at) filter (where direction = 'INBOUND') as last_inbound_message_at
    from messages
    group by tenant_id, client_id
)

select * from final
