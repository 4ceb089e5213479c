-- The SLA clock only moves forward: OK -> WARNING at sla_warning_at, -> BREACHED at
-- sla_deadline (both inclusive), at the run's logical time.
with clocked as (
    select
        t.id,
        case
            when %(logical_time)s >= t.sla_deadline then 'BREACHED'
            when %(logical_time)s >= t.sla_warning_at then 'WARNING'
            else 'OK'
        end as sla_status
    from gold_hitl_tasks_e5 as t
    where t.tenant_id = any(%(tenants)s::uuid[]) and cerniq_hitl_task_is_open(t.status)
)

update gold_hitl_tasks_e5 t set sla_status = c.sla_status, updated_at = now()
from clocked as c
where
    t.id = c.id
    and array_position(array['OK', 'WARNING', 'BREACHED'], c.sla_status)
    > coalesce(array_position(array['OK', 'WARNING', 'BREACHED'], t.sla_status), 1)
returning t.id, c.sla_status
