with source as (
    select * from {{ source('cerniq', 'gold_support_tickets') }}
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
