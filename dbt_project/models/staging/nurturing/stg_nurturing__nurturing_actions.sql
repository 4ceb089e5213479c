with source as (
    select * from {{ source('nurturing', 'gold_nurturing_actions') }}
),

renamed as (
    select
        id as nurturing_action_id,
        tenant_id,
        client_id,
        nurturing_state_id,
        action_type,
        action_category,
        channel,
        status as action_status,
        scheduled_at,
        executed_at,
        created_at
    from source
)

select * from renamed
