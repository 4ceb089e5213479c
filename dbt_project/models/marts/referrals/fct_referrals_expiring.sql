{{ config(indexes=[{'columns': ['tenant_id', 'referral_id'], 'unique': true}]) }}

-- Referrals still open (not converted, rejected or expired) whose expires_at has passed by the
-- run's logical time: they expire.
with referrals as (
    select * from {{ ref('stg_nurturing__referrals') }}
    where {{ tenant_filter('tenant_id') }}
),

final as (
    select
        tenant_id,
        referral_id,
        referrer_client_id as client_id,
        referral_status,
        expires_at
    from referrals
    where
        not coalesce(converted, false)
        and referral_status not in ('CONVERTED', 'REJECTED', 'EXPIRED')
        and {{ seen_as_of('created_at') }}
        and expires_at < {{ logical_time() }}
)

select * from final
