select
    c.company_name,
    f.overall_churn_score,
    f.risk_level,
    f.strongest_signal_type::text
from gold_churn_factors as f
inner join gold_clients as c on f.tenant_id = c.tenant_id and f.client_id = c.id
where f.tenant_id = any(%(tenants)s::uuid[])
order by f.overall_churn_score desc, f.client_id asc
limit 10
