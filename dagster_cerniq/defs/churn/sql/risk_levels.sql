select
    risk_level,
    count(*)
from gold_churn_factors
where tenant_id = any(%(tenants)s::uuid[])
group by 1
order by 1
