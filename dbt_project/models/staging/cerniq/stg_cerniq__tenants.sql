with source as (
    select * from {{ source('cerniq', 'tenants') }}
),

renamed as (
    select
        id as tenant_id,
        name as tenant_name,
        created_at
    from source
)

select * from renamed
