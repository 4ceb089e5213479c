{{ config(indexes=[{'columns': ['tenant_id', 'client_id'], 'unique': true}]) }}

-- Referrals made by each client up to the as-of date; converted ones are successful. A
-- neighbour suggestion of the geography step (GEO_PROXIMITY) is the client's referral only once
-- the client agreed to it.
with referrals as (
    select * from {{ ref('stg_nurturing__referrals') }}
),

seen as (
    select
        tenant_id,
        referrer_client_id as client_id,
        converted and {{ seen_as_of('coalesce(converted_at, created_at)') }} as is_successful
    from referrals
    where
        {{ tenant_filter('tenant_id') }}
        and {{ seen_as_of('created_at') }}
        and (referral_source is distinct from 'GEO_PROXIMITY' or consent_given)
),

final as (
    select
        tenant_id,
        client_id,
        count(*) as referral_count,
        count(*) filter (where is_successful) as successful_referrals
    from seen
    group by tenant_id, client_id
)

select * from final
