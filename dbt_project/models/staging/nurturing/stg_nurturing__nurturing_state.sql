with source as (
    select * from {{ source('nurturing', 'gold_nurturing_state') }}
),

renamed as (
    select
        id as nurturing_state_id,
        tenant_id,
        client_id,
        cast(current_state as text) as current_state,
        cast(previous_state as text) as previous_state,
        state_changed_at,
        onboarding_started_at,
        onboarding_completed_at,
        churn_risk_level,
        is_at_risk,
        at_risk_since
    from source
)

select * from renamed
