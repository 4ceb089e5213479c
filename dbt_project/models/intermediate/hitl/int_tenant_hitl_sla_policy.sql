{{ config(materialized='view', tags=['shared']) }}

-- The SLA of HITL tasks per tenant and priority: the tenant's own row of hitl_sla_policy for
-- that priority, else the default row (blank tenant_id).
with tenants as (
    select * from {{ ref('stg_cerniq__tenants') }}
),

policy as (
    select * from {{ ref('hitl_sla_policy') }}
),

final as (
    select distinct on (tenants.tenant_id, policy.priority)
        tenants.tenant_id,
        policy.priority,
        policy.priority_rank,
        policy.sla_hours,
        policy.sla_hours * policy.warning_ratio as sla_warning_hours
    from tenants
    inner join policy
        on tenants.tenant_id = policy.tenant_id or policy.tenant_id is null
    order by tenants.tenant_id, policy.priority, policy.tenant_id nulls last
)

select * from final
