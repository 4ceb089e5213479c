with source as (
    select * from {{ source('cerniq', 'gold_orders') }}
),

renamed as (
    select
        id as order_id,
        tenant_id,
        client_id,
        status as order_status,
        total_value as order_value,
        currency,
        ordered_at,
        delivered_at,
        created_at
    from source
)

select * from renamed
