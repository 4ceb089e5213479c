with source as (
    select * from {{ source('cerniq', 'gold_contacts') }}
),

renamed as (
    select
        id as contact_id,
        tenant_id,
        client_id,
        full_name,
        phone,
        email,
        created_at
    from source
)

select * from renamed
