{{ config(indexes=[{'columns': ['tenant_id', 'client_id']}]) }}

-- B9 SUPPORT_ESCALATION: a ticket escalated and still open at the as-of date.
with tickets as (
    select * from {{ ref('stg_cerniq__support_tickets') }}
),

open_escalated as (
    select
        tenant_id,
        client_id,
        ticket_id,
        subject,
        priority,
        coalesce(escalated_at, opened_at) as escalated_at
    from tickets
    where
        {{ tenant_filter('tenant_id') }}
        and is_escalated
        and {{ seen_as_of('coalesce(escalated_at, opened_at)') }}
        and (closed_at is null or not {{ seen_as_of('closed_at') }})
),

final as (
    select
        tenant_id,
        client_id,
        'SUPPORT_ESCALATION' as signal_type,
        'SUPPORT' as evidence_source_type,
        ticket_id as evidence_source_id,
        cast(0 as numeric) as measure,
        'Escalated ticket: ' || subject as evidence_text,
        jsonb_build_object('priority', priority, 'escalated_at', escalated_at) as evidence_details,
        escalated_at as evidence_at
    from open_escalated
)

select * from final
