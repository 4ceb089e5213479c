select
    signal_type::text,
    count(*)
from gold_churn_signals
where tenant_id = any(%(tenants)s::uuid[]) and not is_resolved
group by 1
order by 1
