-- The state mirrors the order metrics (A1) with the last interaction, the NPS fields and the
-- referral counts.
update gold_nurturing_state as s set
    first_order_at = m.first_order_at,
    last_order_at = m.last_order_at,
    total_orders = m.total_orders,
    total_revenue = m.total_revenue,
    average_order_value = m.average_order_value,
    order_frequency_days = m.order_frequency_days,
    days_since_last_order = m.days_since_last_order,
    last_interaction_at = m.last_interaction_at,
    nps_score = n.latest_nps_score,
    nps_category = n.nps_category,
    satisfaction_trend = n.satisfaction_trend,
    last_nps_survey_at = n.last_responded_at,
    referral_count = coalesce(r.referral_count, 0),
    successful_referrals = coalesce(r.successful_referrals, 0),
    updated_at = now()
from {fct_client_order_metrics} as m
left join {fct_client_nps} as n on m.tenant_id = n.tenant_id and m.client_id = n.client_id
left join {int_client_referrals} as r on m.tenant_id = r.tenant_id and m.client_id = r.client_id
where
    m.tenant_id = any(%(tenants)s::uuid[])
    and s.tenant_id = m.tenant_id
    and s.client_id = m.client_id
    and (
        s.first_order_at, s.last_order_at, s.total_orders, s.total_revenue,
        s.average_order_value, s.order_frequency_days, s.days_since_last_order,
        s.last_interaction_at, s.nps_score, s.nps_category, s.satisfaction_trend,
        s.last_nps_survey_at,
        s.referral_count, s.successful_referrals
    ) is distinct from (
        m.first_order_at, m.last_order_at, m.total_orders, m.total_revenue,
        m.average_order_value, m.order_frequency_days, m.days_since_last_order,
        m.last_interaction_at, n.latest_nps_score, n.nps_category, n.satisfaction_trend,
        n.last_responded_at,
        coalesce(r.referral_count, 0), coalesce(r.successful_referrals, 0)
    )
