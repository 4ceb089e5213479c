{{ config(indexes=[{'columns': ['tenant_id', 'client_id']}]) }}

-- B9 PAYMENT_DELAY: an invoice still unpaid at the as-of date, more than the grace days past
-- its due date; measure = days overdue.
with invoices as (
    select * from {{ ref('stg_cerniq__invoices') }}
),

unpaid as (
    select
        tenant_id,
        client_id,
        invoice_id,
        amount,
        currency,
        due_at,
        {{ days_before_as_of('due_at') }} as days_overdue
    from invoices
    where
        {{ tenant_filter('tenant_id') }}
        and {{ seen_as_of('issued_at') }}
        and (paid_at is null or not {{ seen_as_of('paid_at') }})
),

final as (
    select
        tenant_id,
        client_id,
        'PAYMENT_DELAY' as signal_type,
        'PAYMENT' as evidence_source_type,
        invoice_id as evidence_source_id,
        cast(days_overdue as numeric) as measure,
        days_overdue || ' days overdue: invoice of ' || amount || ' ' || currency as evidence_text,
        jsonb_build_object('days_overdue', days_overdue, 'amount', amount, 'due_at', due_at)
            as evidence_details,
        due_at as evidence_at
    from unpaid
    where days_overdue > {{ var('payment_delay_grace_days') }}
)

select * from final
