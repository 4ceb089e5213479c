-- Unassigned open tasks go to the client's account manager, when active.
update gold_hitl_tasks_e5 as t set
    assigned_to = u.id,
    assigned_at = %(logical_time)s,
    assignment_method = 'ACCOUNT_MANAGER',
    status = case when t.status = 'PENDING' then 'ASSIGNED' else t.status end,
    updated_at = now()
from gold_clients as c
inner join users as u on c.account_manager_id = u.id and u.is_active
where
    t.tenant_id = any(%(tenants)s::uuid[])
    and cerniq_hitl_task_is_open(t.status)
    and t.assigned_to is null
    and c.tenant_id = t.tenant_id
    and c.id = t.client_id
    and u.tenant_id = t.tenant_id
