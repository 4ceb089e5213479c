with source as (
    select * from {{ source('cerniq', 'churn_signal_resolutions') }}
),

renamed as (
    select
        id as churn_signal_id,
        tenant_id,
        client_id,
        cast(signal_type as text) as signal_type,
        evidence_source_id,
        strength,
        is_resolved,
        resolved_at,
        resolution_type
    from source
)

select * from renamed
