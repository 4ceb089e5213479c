{{ config(indexes=[{'columns': ['tenant_id', 'client_id'], 'unique': true}]) }}

-- onboarding:sequence:start - per client with a completed order: its onboarding start (the
-- first completed delivery, as A1 stores it), when its tenant's onboarding sequence ends, when
-- the onboarding completed (that end, once it is due; null before), and whether the sequence
-- ended before the send window (history, e.g. a first load: no content is sent, only the
-- completion is recorded).
with client_orders as (
    select * from {{ ref('int_client_orders') }}
    where {{ tenant_filter('tenant_id') }}
),

sequences as (
    select distinct
        tenant_id,
        sequence_days
    from {{ ref('int_tenant_onboarding_steps') }}
    where {{ tenant_filter('tenant_id') }}
),

settings as (
    select * from {{ ref('int_tenant_lifecycle_settings') }}
    where {{ tenant_filter('tenant_id') }}
),

scheduled as (
    select
        client_orders.tenant_id,
        client_orders.client_id,
        client_orders.first_order_at as onboarding_started_at,
        client_orders.first_order_at + interval '1 day' * sequences.sequence_days
            as sequence_ends_at,
        settings.drip_send_window_days
    from client_orders
    inner join sequences
        on client_orders.tenant_id = sequences.tenant_id
    inner join settings
        on client_orders.tenant_id = settings.tenant_id
),

final as (
    select
        tenant_id,
        client_id,
        onboarding_started_at,
        sequence_ends_at,
        case
            when {{ seen_as_of('sequence_ends_at') }} then sequence_ends_at
        end as onboarding_completed_at,
        {{ days_before_as_of('sequence_ends_at') }} > drip_send_window_days as is_history
    from scheduled
)

select * from final
