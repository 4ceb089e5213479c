{{ config(indexes=[{'columns': ['tenant_id', 'client_id'], 'unique': true}]) }}

-- A1 order metrics per client with a completed order, as mirrored in gold_nurturing_state.
with client_orders as (
    select * from {{ ref('int_client_orders') }}
    where {{ tenant_filter('tenant_id') }}
),

final as (
    select
        tenant_id,
        client_id,
        total_orders,
        total_revenue,
        average_order_value,
        round(mean_gap_days, 1) as order_frequency_days,
        mean_gap_days,
        first_order_at,
        last_order_at,
        last_order_id,
        days_since_last_order
    from client_orders
)

select * from final
