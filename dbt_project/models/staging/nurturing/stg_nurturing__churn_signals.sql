with source as (
    select * from {{ source('nurturing', 'gold_churn_signals') }}
),

renamed as (
    select
        id as churn_signal_id,
        tenant_id,
        client_id,
        cast(signal_type as text) as signal_type,
        strength,
        detected_at,
        evidence_source_type,
        evidence_source_id,
        evidence_text,
        detection_method,
        is_resolved,
        resolved_at,
        resolution_type
    from source
)

select * from renamed
