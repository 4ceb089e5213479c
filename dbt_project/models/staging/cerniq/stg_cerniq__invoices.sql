with source as (
    select * from {{ source('cerniq', 'gold_invoices') }}
),

renamed as (
    select
        id as invoice_id,
        tenant_id,
        client_id,
        order_id,
        amount,
        currency,
        issued_at,
        due_at,
        paid_at
    from source
)

select * from renamed
