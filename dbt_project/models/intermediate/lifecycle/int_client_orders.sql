{{ config(indexes=[{'columns': ['tenant_id', 'client_id'], 'unique': true}]) }}

-- A1: per client, its completed orders up to the as-of date. Dates are delivery dates.
with orders as (
    select * from {{ ref('stg_cerniq__orders') }}
),

completed_orders as (
    select
        tenant_id,
        client_id,
        order_id,
        order_value,
        delivered_at
    from orders
    where
        {{ tenant_filter('tenant_id') }}
        and {{ is_completed_order() }}
),

per_client as (
    select
        tenant_id,
        client_id,
        count(*) as total_orders,
        sum(order_value) as total_revenue,
        min(delivered_at) as first_order_at,
        max(delivered_at) as last_order_at,
        (array_agg(order_id order by delivered_at desc, order_id desc))[1] as last_order_id,
        -- Year over year (SPEC §5 order_frequency_change): seasons cancel out.
        count(*) filter (
            where {{ days_before_as_of('delivered_at') }} < 365
        ) as orders_last_365_days,
        count(*) filter (
            where {{ days_before_as_of('delivered_at') }} between 365 and 729
        ) as orders_prior_365_days
    from completed_orders
    group by tenant_id, client_id
),

final as (
    select
        tenant_id,
        client_id,
        total_orders,
        total_revenue,
        first_order_at,
        last_order_at,
        last_order_id,
        orders_last_365_days,
        orders_prior_365_days,
        round(total_revenue / total_orders, 2) as average_order_value,
        case
            when total_orders >= 2
                then extract(epoch from last_order_at - first_order_at) / 86400.0 / (total_orders - 1)
        end as mean_gap_days,
        {{ days_before_as_of('last_order_at') }} as days_since_last_order
    from per_client
)

select * from final
