{{ config(materialized='view', tags=['shared']) }}

-- One row of lifecycle follow-up settings per tenant: the tenant's own row of the
-- lifecycle_settings seed, else the default row (blank tenant_id). A view, so the 15-minute
-- SLA clock and every tenant see the current seed without a per-tenant rebuild.
with tenants as (
    select * from {{ ref('stg_cerniq__tenants') }}
),

settings as (
    select * from {{ ref('lifecycle_settings') }}
),

final as (
    select distinct on (tenants.tenant_id)
        tenants.tenant_id,
        settings.nps_frequency_cap_days,
        settings.nps_detractor_followup_days,
        settings.nps_detractor_task_priority,
        settings.referral_request_interval_days,
        settings.drip_send_window_days,
        settings.escalation_roles,
        settings.account_manager_capacity
    from tenants
    inner join settings
        on tenants.tenant_id = settings.tenant_id or settings.tenant_id is null
    order by tenants.tenant_id, settings.tenant_id nulls last
)

select * from final
