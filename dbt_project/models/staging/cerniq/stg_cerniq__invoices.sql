-- The rows a rule rejects (migration 013, macros/quality.sql) are left out;
-- fct_rejected_source_rows lists them.
with source as (
    {{ accepted_source_rows('gold_invoices') }}
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
