with source as (
    select * from {{ source('cerniq', 'gold_clients') }}
),

renamed as (
    select
        id as client_id,
        tenant_id,
        company_name,
        cui,
        county,
        locality,
        location,
        segment,
        account_manager_id,
        created_at
    from source
)

select * from renamed
