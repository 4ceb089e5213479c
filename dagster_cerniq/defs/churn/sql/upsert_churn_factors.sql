-- One gold_churn_factors row per scored client, with this run's prediction (churn_prediction)
-- in the seed's prediction columns; a row that already matches is not rewritten (valid_until
-- moves with calculated_at only when the row changes).
insert into gold_churn_factors (
    tenant_id, client_id, overall_churn_score, risk_level, communication_score,
    sentiment_score, order_frequency_score, payment_behavior_score, engagement_score,
    support_score, factor_breakdown, days_since_last_order, days_since_last_contact,
    order_frequency_change, compared_to_segment_avg, active_signal_count,
    strongest_signal_type, strongest_signal_strength, segment, predicted_churn_date,
    prediction_confidence, calculated_at, valid_until
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
    f.days_since_last_contact,
    f.order_frequency_change,
    f.compared_to_segment_avg,
    f.active_signal_count,
    f.strongest_signal_type::churn_signal_type_enum,
    f.strongest_signal_strength,
    c.segment,
    p.predicted_churn_date,
    round(100 * p.churn_probability, 2),
    %(logical_time)s,
    f.valid_until
from {fct_churn_scores} as f
inner join gold_clients as c on f.tenant_id = c.tenant_id and f.client_id = c.id
left join cerniq_churn_predictions as p
    on f.tenant_id = p.tenant_id and f.client_id = p.client_id and p.as_of = %(as_of)s
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
    days_since_last_contact = excluded.days_since_last_contact,
    order_frequency_change = excluded.order_frequency_change,
    compared_to_segment_avg = excluded.compared_to_segment_avg,
    active_signal_count = excluded.active_signal_count,
    strongest_signal_type = excluded.strongest_signal_type,
    strongest_signal_strength = excluded.strongest_signal_strength,
    segment = excluded.segment,
    predicted_churn_date = excluded.predicted_churn_date,
    prediction_confidence = excluded.prediction_confidence,
    calculated_at = excluded.calculated_at,
    valid_until = excluded.valid_until,
    updated_at = now()
where (
    gold_churn_factors.overall_churn_score, gold_churn_factors.risk_level,
    gold_churn_factors.factor_breakdown, gold_churn_factors.days_since_last_order,
    gold_churn_factors.days_since_last_contact, gold_churn_factors.order_frequency_change,
    gold_churn_factors.compared_to_segment_avg, gold_churn_factors.active_signal_count,
    gold_churn_factors.strongest_signal_type, gold_churn_factors.strongest_signal_strength,
    gold_churn_factors.segment, gold_churn_factors.predicted_churn_date,
    gold_churn_factors.prediction_confidence
) is distinct from (
    excluded.overall_churn_score, excluded.risk_level, excluded.factor_breakdown,
    excluded.days_since_last_order, excluded.days_since_last_contact,
    excluded.order_frequency_change, excluded.compared_to_segment_avg,
    excluded.active_signal_count, excluded.strongest_signal_type,
    excluded.strongest_signal_strength, excluded.segment, excluded.predicted_churn_date,
    excluded.prediction_confidence
)
