{{ config(indexes=[{'columns': ['tenant_id', 'client_id'], 'unique': true}]) }}

-- referral:eligibility:check - LOYAL_CLIENT and ADVOCATE clients (as this run's transitions
-- leave them) and whether they may be asked for a referral now: never asked, or last asked at
-- least the tenant's referral_request_interval_days before the as-of date.
with eligibility as (
    select * from {{ ref('fct_state_eligibility') }}
    where {{ tenant_filter('tenant_id') }}
),

states as (
    select
        tenant_id,
        client_id,
        nurturing_state_id,
        coalesce(proposed_state, current_state) as current_state
    from eligibility
    where coalesce(proposed_state, current_state) in ('LOYAL_CLIENT', 'ADVOCATE')
),

actions as (
    select * from {{ ref('stg_nurturing__nurturing_actions') }}
    where
        {{ tenant_filter('tenant_id') }}
        and action_type = 'REFERRAL_REQUEST'
),

settings as (
    select * from {{ ref('int_tenant_lifecycle_settings') }}
    where {{ tenant_filter('tenant_id') }}
),

last_requests as (
    select
        tenant_id,
        client_id,
        max(scheduled_at) as last_requested_at
    from actions
    where {{ stamped_by_logical_time('scheduled_at') }}
    group by tenant_id, client_id
),

final as (
    select
        states.tenant_id,
        states.client_id,
        states.nurturing_state_id,
        states.current_state,
        last_requests.last_requested_at,
        {{ days_since_stamp('last_requests.last_requested_at') }} as days_since_last_request,
        coalesce(
            {{ days_since_stamp('last_requests.last_requested_at') }}
            >= settings.referral_request_interval_days,
            true
        ) as is_due
    from states
    inner join settings
        on states.tenant_id = settings.tenant_id
    left join last_requests
        on
            states.tenant_id = last_requests.tenant_id
            and states.client_id = last_requests.client_id
)

select * from final
