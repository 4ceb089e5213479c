-- The rows the step computed, copied in before the upsert.
create temporary table new_churn_predictions (
    tenant_id uuid not null,
    client_id uuid not null,
    churn_probability numeric(6, 5) not null,
    predicted_churn_date date,
    revenue_at_risk numeric(15, 2) not null,
    model_scope varchar(10) not null
) on commit drop
