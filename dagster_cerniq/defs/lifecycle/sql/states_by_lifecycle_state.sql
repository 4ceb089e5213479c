select
    current_state::text,
    count(*)
from gold_nurturing_state
where tenant_id = any(%(tenants)s::uuid[])
group by 1
order by 1
