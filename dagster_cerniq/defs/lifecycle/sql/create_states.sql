-- SPEC §4: creation is not a transition; the state starts at the first completed delivery.
-- New states get their NPS and referral mirrors and, when the onboarding sequence has already
-- run out, its completion here too, so that a first load writes each state once instead of
-- inserting and then updating a million rows.
insert into gold_nurturing_state (
    tenant_id, client_id, current_state, state_changed_at, onboarding_started_at,
    first_order_at, last_order_at, total_orders, total_revenue, average_order_value,
    order_frequency_days, days_since_last_order, last_interaction_at, assigned_account_manager,
    nps_score, nps_category, satisfaction_trend, last_nps_survey_at, referral_count,
    successful_referrals, onboarding_completed_at
)
select
    m.tenant_id,
    m.client_id,
    'ONBOARDING',
    %(logical_time)s,
    m.first_order_at as onboarding_started_at,
    m.first_order_at,
    m.last_order_at,
    m.total_orders,
    m.total_revenue,
    m.average_order_value,
    m.order_frequency_days,
    m.days_since_last_order,
    m.last_interaction_at,
    c.account_manager_id,
    n.latest_nps_score,
    n.nps_category,
    n.satisfaction_trend,
    n.last_responded_at,
    coalesce(r.referral_count, 0),
    coalesce(r.successful_referrals, 0),
    p.onboarding_completed_at
from {fct_client_order_metrics} as m
inner join gold_clients as c on m.tenant_id = c.tenant_id and m.client_id = c.id
left join {fct_client_nps} as n on m.tenant_id = n.tenant_id and m.client_id = n.client_id
left join {int_client_referrals} as r on m.tenant_id = r.tenant_id and m.client_id = r.client_id
left join {fct_onboarding_progress} as p
    on m.tenant_id = p.tenant_id and m.client_id = p.client_id
where m.tenant_id = any(%(tenants)s::uuid[])
on conflict (tenant_id, client_id) do nothing
