-- B10 step 8: the state mirrors the score; at_risk_since starts when the client becomes at risk.
update gold_nurturing_state as s set
    churn_risk_score = f.churn_score,
    churn_risk_level = f.risk_level,
    is_at_risk = f.is_at_risk,
    at_risk_since = case when f.is_at_risk then coalesce(s.at_risk_since, %(logical_time)s) end,
    days_since_last_order = f.days_since_last_order,
    updated_at = now()
from {fct_churn_scores} as f
where
    f.tenant_id = any(%(tenants)s::uuid[])
    and s.tenant_id = f.tenant_id
    and s.client_id = f.client_id
    and (
        s.churn_risk_score, s.churn_risk_level, s.is_at_risk, s.days_since_last_order,
        s.at_risk_since is null
    ) is distinct from (
        f.churn_score, f.risk_level, f.is_at_risk, f.days_since_last_order, not f.is_at_risk
    )
