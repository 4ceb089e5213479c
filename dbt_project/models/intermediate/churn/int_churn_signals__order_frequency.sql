{{ config(indexes=[{'columns': ['tenant_id', 'client_id']}]) }}

-- B9 ORDER_FREQUENCY_DROP: at least two completed orders and more days since the last one than
-- the ratio times the mean gap; measure = days since / mean gap. A mean gap of 0 never drops.
with client_orders as (
    select * from {{ ref('int_client_orders') }}
    where {{ tenant_filter('tenant_id') }}
),

final as (
    select
        tenant_id,
        client_id,
        'ORDER_FREQUENCY_DROP' as signal_type,
        'ORDER' as evidence_source_type,
        last_order_id as evidence_source_id,
        days_since_last_order / mean_gap_days as measure,
        days_since_last_order || ' days since last order (mean gap '
        || round(mean_gap_days, 1) || ' days)' as evidence_text,
        jsonb_build_object(
            'days_since_last_order', days_since_last_order,
            'mean_gap_days', round(mean_gap_days, 4),
            'total_orders', total_orders
        ) as evidence_details,
        last_order_at as evidence_at
    from client_orders
    where
        total_orders >= 2
        and mean_gap_days > 0
        and days_since_last_order > {{ var('order_frequency_drop_ratio') }} * mean_gap_days
)

select * from final
