with source as (
    select * from {{ source('nurturing', 'gold_referrals') }}
),

renamed as (
    select
        id as referral_id,
        tenant_id,
        referrer_client_id,
        referred_prospect_id,
        cast(referral_type as text) as referral_type,
        referral_source,
        consent_given,
        cast(status as text) as referral_status,
        converted,
        converted_at,
        created_at,
        expires_at
    from source
)

select * from renamed
