{{ config(indexes=[{'columns': ['tenant_id', 'client_id', 'step_number'], 'unique': true}]) }}

-- onboarding:sequence:start - each step of the onboarding sequence of every client whose
-- sequence is not history: when it is due, whether it is due now, and whether it is too late
-- to send (past the tenant's send window: skipped, not sent late).
with progress as (
    select * from {{ ref('fct_onboarding_progress') }}
    where
        {{ tenant_filter('tenant_id') }}
        and not is_history
),

steps as (
    select * from {{ ref('int_tenant_onboarding_steps') }}
    where {{ tenant_filter('tenant_id') }}
),

settings as (
    select * from {{ ref('int_tenant_lifecycle_settings') }}
    where {{ tenant_filter('tenant_id') }}
),

scheduled as (
    select
        progress.tenant_id,
        progress.client_id,
        steps.sequence_name,
        steps.step_number,
        steps.content_type,
        steps.channel,
        steps.subject,
        progress.onboarding_started_at + interval '1 day' * steps.day_offset as scheduled_at,
        settings.drip_send_window_days
    from progress
    inner join steps
        on progress.tenant_id = steps.tenant_id
    inner join settings
        on progress.tenant_id = settings.tenant_id
),

final as (
    select
        tenant_id,
        client_id,
        sequence_name,
        step_number,
        content_type,
        channel,
        subject,
        scheduled_at,
        {{ seen_as_of('scheduled_at') }} as is_due,
        {{ days_before_as_of('scheduled_at') }} > drip_send_window_days as is_past_send_window
    from scheduled
)

select * from final
