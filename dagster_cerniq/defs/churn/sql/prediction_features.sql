-- The run's tenants' snapshots (SCORE, PROJECT, TRAIN).
select
    f.tenant_id,
    f.client_id,
    f.snapshot_role,
    f.snapshot_date,
    f.horizon_days,
    f.segment,
    f.days_since_last_order,
    f.days_since_first_order,
    f.orders_total,
    f.orders_last_365_days,
    f.orders_prior_365_days,
    f.orders_same_window_last_year,
    f.orders_in_silence_last_year,
    f.orders_in_silence_two_years_ago,
    f.revenue_last_365_days,
    f.mean_gap_days,
    f.gap_stddev_days,
    f.max_gap_days,
    f.recency_to_mean_gap,
    f.recency_to_max_gap,
    f.churned_within_horizon
from {fct_churn_prediction_features} as f
where f.tenant_id = any(%(tenants)s::uuid[])
