-- What a tenant's data holds, as of a date, for `cerniq show` and the demo.
with delivered as (
    select
        client_id,
        delivered_at
    from gold_orders
    where tenant_id = %(t)s and cerniq_order_is_completed(status, delivered_at)
),

last_order as (
    select
        client_id,
        max(delivered_at) as last_at
    from delivered
    group by client_id
)

select
    (select count(*) from last_order) as buyers,
    (
        select count(*) from last_order
        where last_at < %(as_of)s::date - %(inactive_days)s::integer
    ) as inactive,
    (
        select count(*) filter (where extract(month from delivered_at) = any(%(peak_months)s))
        from delivered
    ) as peak_orders,
    (select count(*) from delivered) as completed_orders,
    (
        select count(*) from gold_client_messages
        where tenant_id = %(t)s and direction = 'INBOUND'
    ) as inbound,
    (
        select count(*) from gold_invoices
        where
            tenant_id = %(t)s
            and paid_at is null
            and due_at < %(as_of)s::date - %(grace_days)s::integer
    ) as overdue,
    (
        select count(*) from gold_support_tickets
        where tenant_id = %(t)s and is_escalated and closed_at is null
    ) as escalated,
    (
        select round(avg(score), 1) from gold_nps_surveys
        where tenant_id = %(t)s and responded_at is not null
    ) as average_nps,
    (
        select count(*) from gold_referrals
        where tenant_id = %(t)s and converted
    ) as converted_referrals
