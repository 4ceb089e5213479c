-- What the replayed evaluation as of a date stored: the seed score, its band and the prediction.
select
    as_of,
    client_id,
    overall_churn_score,
    risk_level,
    prediction_confidence
from gold_churn_score_history
where tenant_id = %(tenant_id)s and as_of = %(as_of)s
