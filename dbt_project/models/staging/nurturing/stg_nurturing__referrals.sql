with source as (
    select * from {{ source('nurturing', 'gold_referrals') }}
),

renamed as (
    select
        id as referral_id,
        tenant_id,
        referrer_client_id,
        cast(status as text) as referral_status,
        converted,
        converted_at,
        created_at,
        expires_at
    from source
)

select * from renamed
