-- A client's evaluations over the trend window, oldest first (migration 016 states the change).
select
    as_of,
    overall_churn_score,
    risk_level,
    prediction_confidence,
    predicted_churn_date,
    score_change
from cerniq_churn_score_trend(%(tenant)s, %(client)s, %(from_date)s, %(to_date)s)
order by as_of
