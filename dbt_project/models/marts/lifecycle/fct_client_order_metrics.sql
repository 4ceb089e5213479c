{{ config(indexes=[{'columns': ['tenant_id', 'client_id'], 'unique': true}]) }}

-- A1 order metrics per client with a completed order, as mirrored in gold_nurturing_state, and
-- its last interaction (SPEC §5): the latest of its last inbound message, last completed order
-- and last NPS answer, up to the as-of date.
with client_orders as (
    select * from {{ ref('int_client_orders') }}
    where {{ tenant_filter('tenant_id') }}
),

last_contact as (
    select * from {{ ref('int_client_last_contact') }}
    where {{ tenant_filter('tenant_id') }}
),

client_nps as (
    select * from {{ ref('fct_client_nps') }}
    where {{ tenant_filter('tenant_id') }}
),

final as (
    select
        client_orders.tenant_id,
        client_orders.client_id,
        client_orders.total_orders,
        client_orders.total_revenue,
        client_orders.average_order_value,
        round(client_orders.mean_gap_days, 1) as order_frequency_days,
        client_orders.mean_gap_days,
        client_orders.first_order_at,
        client_orders.last_order_at,
        client_orders.last_order_id,
        client_orders.days_since_last_order,
        greatest(
            client_orders.last_order_at,
            last_contact.last_inbound_message_at,
            client_nps.last_responded_at
        ) as last_interaction_at
    from client_orders
    left join last_contact
        on
            client_orders.tenant_id = last_contact.tenant_id
            and client_orders.client_id = last_contact.client_id
    left join client_nps
        on
            client_orders.tenant_id = client_nps.tenant_id
            and client_orders.client_id = client_nps.client_id
)

select * from final
