-- The rows a rule rejects (migration 013, macros/quality.sql) are left out;
-- fct_rejected_source_rows lists them.
with source as (
    {{ accepted_source_rows('gold_orders') }}
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
