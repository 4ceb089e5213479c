select
    task_type,
    sla_status,
    count(*)
from gold_hitl_tasks_e5
where tenant_id = any(%(tenants)s::uuid[]) and cerniq_hitl_task_is_open(status)
group by 1, 2
order by 1, 2
