{{ config(indexes=[{'columns': ['tenant_id', 'client_id'], 'unique': true}]) }}

-- A2: for each client with a completed order, its current state and the one next state it is
-- eligible for (NULL: stays), checked in the seed's order, on this run's numbers. A state
-- created or changed at this run's logical time (or not yet created) is evaluated from the next
-- run: one step per run, and a rerun of the same as-of date changes nothing.
with client_orders as (
    select * from {{ ref('int_client_orders') }}
    where {{ tenant_filter('tenant_id') }}
),

scores as (
    select * from {{ ref('fct_churn_scores') }}
    where {{ tenant_filter('tenant_id') }}
),

client_nps as (
    select * from {{ ref('fct_client_nps') }}
    where {{ tenant_filter('tenant_id') }}
),

referrals as (
    select * from {{ ref('int_client_referrals') }}
    where {{ tenant_filter('tenant_id') }}
),

states as (
    select * from {{ ref('stg_nurturing__nurturing_state') }}
    where {{ tenant_filter('tenant_id') }}
),

facts as (
    select
        client_orders.tenant_id,
        client_orders.client_id,
        states.nurturing_state_id,
        states.current_state,
        states.state_changed_at,
        states.onboarding_started_at,
        states.onboarding_completed_at,
        client_orders.total_orders,
        client_orders.last_order_at,
        client_orders.days_since_last_order,
        scores.churn_score,
        scores.risk_level,
        scores.is_at_risk,
        scores.active_signal_count,
        client_nps.latest_nps_score,
        coalesce(referrals.successful_referrals, 0) as successful_referrals,
        states.nurturing_state_id is null as is_new_state,
        coalesce(states.state_changed_at < {{ logical_time() }}, false) as is_evaluated,
        -- Set by the onboarding sequence when its last step is due (fct_onboarding_drips).
        coalesce({{ seen_as_of('states.onboarding_completed_at') }}, false)
            as is_onboarding_complete,
        coalesce(client_orders.last_order_at > states.state_changed_at, false)
            as has_order_since_state_change
    from client_orders
    inner join scores
        on
            client_orders.tenant_id = scores.tenant_id
            and client_orders.client_id = scores.client_id
    left join client_nps
        on
            client_orders.tenant_id = client_nps.tenant_id
            and client_orders.client_id = client_nps.client_id
    left join referrals
        on
            client_orders.tenant_id = referrals.tenant_id
            and client_orders.client_id = referrals.client_id
    left join states
        on
            client_orders.tenant_id = states.tenant_id
            and client_orders.client_id = states.client_id
),

evaluated as (
    select
        *,
        case
            when not is_evaluated then null
            when current_state = 'ONBOARDING' and is_onboarding_complete
                then 'NURTURING_ACTIVE'
            when
                current_state = 'NURTURING_ACTIVE'
                and active_signal_count >= 1
                and is_at_risk
                then 'AT_RISK'
            when
                current_state = 'NURTURING_ACTIVE'
                and total_orders >= {{ var('loyal_min_orders') }}
                and latest_nps_score >= {{ var('loyal_min_nps') }}
                then 'LOYAL_CLIENT'
            when
                current_state = 'AT_RISK'
                and active_signal_count = 0
                and churn_score < {{ var('risk_resolved_max_score') }}
                then 'NURTURING_ACTIVE'
            when
                current_state = 'AT_RISK'
                and days_since_last_order > {{ var('churned_min_days') }}
                then 'CHURNED'
            when
                current_state = 'LOYAL_CLIENT'
                and successful_referrals >= {{ var('advocate_min_referrals') }}
                and latest_nps_score >= {{ var('advocate_min_nps') }}
                then 'ADVOCATE'
            when
                current_state = 'LOYAL_CLIENT'
                and is_at_risk
                and churn_score >= {{ var('loyal_at_risk_min_score') }}
                then 'AT_RISK'
            when current_state = 'CHURNED' and has_order_since_state_change
                then 'REACTIVATED'
            when current_state = 'REACTIVATED' and has_order_since_state_change
                then 'NURTURING_ACTIVE'
        end as proposed_state
    from facts
),

final as (
    select
        tenant_id,
        client_id,
        nurturing_state_id,
        coalesce(current_state, 'ONBOARDING') as current_state,
        proposed_state,
        case
            when is_new_state then 'State created at the first completed order'
            when not is_evaluated then 'State changed by this run; evaluated from the next run'
            when proposed_state is null then null
            when current_state = 'ONBOARDING'
                then 'Onboarding completed'
            when current_state = 'NURTURING_ACTIVE' and proposed_state = 'AT_RISK'
                then
                    'Churn risk detected: score ' || churn_score || ' with '
                    || active_signal_count || ' active signal(s)'
            when current_state = 'NURTURING_ACTIVE'
                then
                    'Loyalty criteria met: ' || total_orders || ' orders, latest NPS '
                    || latest_nps_score
            when current_state = 'AT_RISK' and proposed_state = 'NURTURING_ACTIVE'
                then 'Risk resolved: no active signal, score ' || churn_score
            when current_state = 'AT_RISK'
                then 'Dormant for ' || days_since_last_order || ' days since the last order'
            when proposed_state = 'ADVOCATE'
                then
                    'Advocate criteria met: ' || successful_referrals
                    || ' converted referrals, latest NPS ' || latest_nps_score
            when current_state = 'LOYAL_CLIENT'
                then 'Churn risk increased: score ' || churn_score
            when current_state = 'CHURNED'
                then 'Win-back: completed order after churn'
            else 'Reactivation confirmed by order'
        end as transition_reason,
        is_new_state,
        is_evaluated,
        state_changed_at,
        churn_score,
        risk_level,
        coalesce(proposed_state, current_state, 'ONBOARDING') as state_after_transition,
        -- A churn task's cause has cleared: not at risk by the score's band, and not AT_RISK
        -- after this run's transition (hitl_tasks closes such tasks).
        (
            not coalesce(is_at_risk, false)
            and coalesce(proposed_state, current_state, '') != 'AT_RISK'
        ) as is_risk_cleared,
        active_signal_count,
        total_orders,
        latest_nps_score,
        successful_referrals,
        days_since_last_order
    from evaluated
)

select * from final
