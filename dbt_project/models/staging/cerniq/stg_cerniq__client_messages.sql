with source as (
    select * from {{ source('cerniq', 'gold_client_messages') }}
),

renamed as (
    select
        id as message_id,
        tenant_id,
        client_id,
        direction,
        channel,
        body,
        sent_at,
        created_at
    from source
)

select * from renamed
