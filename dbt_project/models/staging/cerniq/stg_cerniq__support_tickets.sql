-- The rows a rule rejects (migration 013, macros/quality.sql) are left out;
-- fct_rejected_source_rows lists them.
with source as (
    {{ accepted_source_rows('gold_support_tickets') }}
),

renamed as (
    select
        id as ticket_id,
        tenant_id,
        client_id,
        subject,
        priority,
        opened_at,
        closed_at,
        is_escalated,
        escalated_at
    from source
)

select * from renamed
