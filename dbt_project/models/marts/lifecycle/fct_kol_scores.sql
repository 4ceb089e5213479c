{{ config(indexes=[{'columns': ['tenant_id', 'client_id'], 'unique': true}]) }}

-- The KOL score (0-100) an advocate's profile records: points for converted referrals, the
-- latest NPS, revenue rank within the tenant and tenure, each capped, weights in vars.
with client_orders as (
    select * from {{ ref('int_client_orders') }}
    where {{ tenant_filter('tenant_id') }}
),

client_nps as (
    select * from {{ ref('fct_client_nps') }}
    where {{ tenant_filter('tenant_id') }}
),

referrals as (
    select * from {{ ref('int_client_referrals') }}
    where {{ tenant_filter('tenant_id') }}
),

facts as (
    select
        client_orders.tenant_id,
        client_orders.client_id,
        client_orders.total_revenue,
        client_nps.latest_nps_score,
        coalesce(referrals.successful_referrals, 0) as successful_referrals,
        {{ days_before_as_of('client_orders.first_order_at') }} as tenure_days,
        percent_rank() over (
            partition by client_orders.tenant_id order by client_orders.total_revenue
        ) as revenue_rank
    from client_orders
    left join client_nps
        on
            client_orders.tenant_id = client_nps.tenant_id
            and client_orders.client_id = client_nps.client_id
    left join referrals
        on
            client_orders.tenant_id = referrals.tenant_id
            and client_orders.client_id = referrals.client_id
),

points as (
    select
        *,
        round({{ var('kol_points_referrals') }} * least(
            1.0, successful_referrals / {{ var('kol_referrals_for_full_points') }}::numeric
        ), 2) as referral_points,
        round({{ var('kol_points_nps') }} * coalesce(latest_nps_score, 0) / 10.0, 2) as nps_points,
        round(cast({{ var('kol_points_revenue') }} * revenue_rank as numeric), 2) as revenue_points,
        round({{ var('kol_points_tenure') }} * least(
            1.0, tenure_days / {{ var('kol_tenure_days_for_full_points') }}::numeric
        ), 2) as tenure_points
    from facts
),

final as (
    select
        tenant_id,
        client_id,
        referral_points + nps_points + revenue_points + tenure_points as kol_score,
        case
            when
                referral_points + nps_points + revenue_points + tenure_points
                >= {{ var('kol_tier_platinum_min') }}
                then 'PLATINUM'
            when
                referral_points + nps_points + revenue_points + tenure_points
                >= {{ var('kol_tier_gold_min') }}
                then 'GOLD'
            else 'SILVER'
        end as kol_tier,
        jsonb_build_object(
            'referrals', referral_points,
            'nps', nps_points,
            'revenue', revenue_points,
            'tenure', tenure_points
        ) as score_components,
        successful_referrals,
        latest_nps_score,
        total_revenue,
        tenure_days
    from points
)

select * from final
