select
    c.company_name,
    round(100 * p.churn_probability, 1) as churn_probability_percent,
    p.predicted_churn_date,
    p.revenue_at_risk,
    p.expected_loss,
    p.model_scope
from cerniq_churn_predictions as p
inner join gold_clients as c on p.tenant_id = c.tenant_id and p.client_id = c.id
where p.tenant_id = any(%(tenants)s::uuid[])
order by p.expected_loss desc, p.client_id asc
limit 15
