-- One prediction per client of the run's tenants; a row that already matches is not rewritten.
insert into cerniq_churn_predictions (
    tenant_id, client_id, as_of, horizon_days, churn_probability, predicted_churn_date,
    revenue_at_risk, expected_loss, model_scope, model_name, predicted_at
)
select
    tenant_id,
    client_id,
    %(as_of)s,
    %(horizon_days)s,
    churn_probability,
    predicted_churn_date,
    revenue_at_risk,
    round(churn_probability * revenue_at_risk, 2),
    model_scope,
    %(model_name)s,
    %(logical_time)s
from new_churn_predictions
on conflict (tenant_id, client_id) do update set
    as_of = excluded.as_of,
    horizon_days = excluded.horizon_days,
    churn_probability = excluded.churn_probability,
    predicted_churn_date = excluded.predicted_churn_date,
    revenue_at_risk = excluded.revenue_at_risk,
    expected_loss = excluded.expected_loss,
    model_scope = excluded.model_scope,
    model_name = excluded.model_name,
    predicted_at = excluded.predicted_at
where (
    cerniq_churn_predictions.as_of, cerniq_churn_predictions.horizon_days,
    cerniq_churn_predictions.churn_probability, cerniq_churn_predictions.predicted_churn_date,
    cerniq_churn_predictions.revenue_at_risk, cerniq_churn_predictions.model_scope,
    cerniq_churn_predictions.model_name
) is distinct from (
    excluded.as_of, excluded.horizon_days, excluded.churn_probability,
    excluded.predicted_churn_date, excluded.revenue_at_risk, excluded.model_scope,
    excluded.model_name
)
