-- One gold_churn_factors row per scored client; a row that already matches is not rewritten.
insert into gold_churn_factors (
    tenant_id, client_id, overall_churn_score, risk_level, communication_score,
    sentiment_score, order_frequency_score, payment_behavior_score, engagement_score,
    support_score, factor_breakdown, days_since_last_order, active_signal_count,
    strongest_signal_type, strongest_signal_strength, segment, calculated_at
)
select
    f.tenant_id,
    f.client_id,
    f.churn_score,
    f.risk_level,
    f.communication_score,
    f.sentiment_score,
    f.order_frequency_score,
    f.payment_behavior_score,
    f.engagement_score,
    f.support_score,
    f.factor_breakdown,
    f.days_since_last_order,
    f.active_signal_count,
    f.strongest_signal_type::churn_signal_type_enum,
    f.strongest_signal_strength,
    c.segment,
    %(logical_time)s
from {fct_churn_scores} as f
inner join gold_clients as c on f.tenant_id = c.tenant_id and f.client_id = c.id
where f.tenant_id = any(%(tenants)s::uuid[])
on conflict (tenant_id, client_id) do update set
    overall_churn_score = excluded.overall_churn_score,
    risk_level = excluded.risk_level,
    communication_score = excluded.communication_score,
    sentiment_score = excluded.sentiment_score,
    order_frequency_score = excluded.order_frequency_score,
    payment_behavior_score = excluded.payment_behavior_score,
    engagement_score = excluded.engagement_score,
    support_score = excluded.support_score,
    factor_breakdown = excluded.factor_breakdown,
    days_since_last_order = excluded.days_since_last_order,
    active_signal_count = excluded.active_signal_count,
    strongest_signal_type = excluded.strongest_signal_type,
    strongest_signal_strength = excluded.strongest_signal_strength,
    segment = excluded.segment,
    calculated_at = excluded.calculated_at,
    updated_at = now()
where (
    gold_churn_factors.overall_churn_score, gold_churn_factors.risk_level,
    gold_churn_factors.factor_breakdown, gold_churn_factors.days_since_last_order,
    gold_churn_factors.active_signal_count, gold_churn_factors.strongest_signal_type,
    gold_churn_factors.strongest_signal_strength, gold_churn_factors.segment
) is distinct from (
    excluded.overall_churn_score, excluded.risk_level, excluded.factor_breakdown,
    excluded.days_since_last_order, excluded.active_signal_count,
    excluded.strongest_signal_type, excluded.strongest_signal_strength, excluded.segment
)
