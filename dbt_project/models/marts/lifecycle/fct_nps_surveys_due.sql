{{ config(indexes=[{'columns': ['tenant_id', 'order_id'], 'unique': true}]) }}

-- A1: the POST_ORDER NPS survey each completed order schedules, nps_survey_delay_days after
-- delivery; orders whose survey date is older than nps_survey_history_days get none.
with orders as (
    select * from {{ ref('stg_cerniq__orders') }}
),

completed_orders as (
    select
        tenant_id,
        client_id,
        order_id,
        delivered_at + interval '1 day' * {{ var('nps_survey_delay_days') }} as scheduled_at
    from orders
    where
        {{ tenant_filter('tenant_id') }}
        and {{ is_completed_order() }}
),

final as (
    select
        tenant_id,
        client_id,
        order_id,
        'POST_ORDER' as survey_type,
        scheduled_at
    from completed_orders
    where {{ days_before_as_of('scheduled_at') }} <= {{ var('nps_survey_history_days') }}
)

select * from final
