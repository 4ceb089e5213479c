{{ config(materialized='view', tags=['shared']) }}

-- The onboarding content sequence of each tenant: the tenant's own steps in
-- onboarding_sequence_steps when it has any, else the default sequence (blank tenant_id).
with tenants as (
    select * from {{ ref('stg_cerniq__tenants') }}
),

steps as (
    select * from {{ ref('onboarding_sequence_steps') }}
),

tenants_with_own_steps as (
    select distinct tenant_id from steps
    where tenant_id is not null
),

final as (
    select
        tenants.tenant_id,
        steps.sequence_name,
        steps.step_number,
        steps.day_offset,
        steps.content_type,
        steps.channel,
        steps.subject,
        max(steps.day_offset) over (partition by tenants.tenant_id) as sequence_days
    from tenants
    left join tenants_with_own_steps as own
        on tenants.tenant_id = own.tenant_id
    inner join steps
        on
            tenants.tenant_id = steps.tenant_id
            or (steps.tenant_id is null and own.tenant_id is null)
)

select * from final
