-- Unassigned open tasks go to the client's account manager, when active, up to the tenant's
-- capacity (lifecycle_settings.account_manager_capacity open tasks per user): the manager's
-- free places take its clients' tasks in work-queue order (highest expected loss first); the
-- rest stay in the pool.
with manager_room as (
    select
        u.tenant_id,
        u.id as user_id,
        cfg.account_manager_capacity - count(t.id) as free_places
    from users as u
    inner join {int_tenant_lifecycle_settings} as cfg on u.tenant_id = cfg.tenant_id
    left join gold_hitl_tasks_e5 as t
        on u.id = t.assigned_to and cerniq_hitl_task_is_open(t.status)
    where u.tenant_id = any(%(tenants)s::uuid[]) and u.is_active
    group by u.tenant_id, u.id, cfg.account_manager_capacity
),

waiting as (
    select
        t.id,
        m.user_id,
        m.free_places,
        row_number() over (partition by m.user_id order by t.queue_rank) as pick
    from gold_hitl_tasks_e5 as t
    inner join gold_clients as c on t.tenant_id = c.tenant_id and t.client_id = c.id
    inner join manager_room as m
        on c.tenant_id = m.tenant_id and c.account_manager_id = m.user_id
    where
        t.tenant_id = any(%(tenants)s::uuid[])
        and cerniq_hitl_task_is_open(t.status)
        and t.assigned_to is null
)

update gold_hitl_tasks_e5 as t set
    assigned_to = w.user_id,
    assigned_at = %(logical_time)s,
    assignment_method = 'ACCOUNT_MANAGER',
    status = case when t.status = 'PENDING' then 'ASSIGNED' else t.status end,
    updated_at = now()
from waiting as w
where t.id = w.id and w.pick <= w.free_places
