-- The rest go one by one, in work-queue order (highest expected loss first), to whoever of the
-- tenant's active users has the fewest open tasks at that moment and is below the tenant's
-- capacity (lifecycle_settings.account_manager_capacity); what does not fit stays in the pool.
-- User u's k-th new task would bring its load to open + k; the n cheapest such slots of a
-- tenant take its n tasks, in order. Users with an escalation role come last (only when the
-- tenant has no one else), so that a breach has someone other than the assignee to go to. A
-- pool of m users holding S open tasks never rises above ceil((S + n) / m) for n tasks, nor
-- above the capacity, so no user needs slots beyond the lower of the two.
with unassigned as (
    select
        id,
        tenant_id,
        row_number() over (partition by tenant_id order by queue_rank) as pick
    from gold_hitl_tasks_e5
    where
        tenant_id = any(%(tenants)s::uuid[])
        and cerniq_hitl_task_is_open(status) and assigned_to is null
),

tenant_counts as (
    select
        tenant_id,
        count(*) as task_count
    from unassigned
    group by tenant_id
),

loads as (
    select
        u.tenant_id,
        u.id as user_id,
        count(t.id) as open_tasks,
        u.role = any(string_to_array(cfg.escalation_roles, ',')) as escalates,
        cfg.account_manager_capacity as capacity
    from users as u
    inner join {int_tenant_lifecycle_settings} as cfg on u.tenant_id = cfg.tenant_id
    left join gold_hitl_tasks_e5 as t
        on u.id = t.assigned_to and cerniq_hitl_task_is_open(t.status)
    where u.tenant_id = any(%(tenants)s::uuid[]) and u.is_active
    group by u.tenant_id, u.id, cfg.escalation_roles, cfg.account_manager_capacity
),

pools as (
    select
        tenant_id,
        user_id,
        open_tasks,
        escalates,
        capacity,
        bool_and(escalates) over (partition by tenant_id) as only_escalating
    from loads
),

pool_levels as (
    select
        p.tenant_id,
        p.user_id,
        p.open_tasks,
        least(
            p.capacity,
            ceil((sum(p.open_tasks) over w + n.task_count)::numeric / count(*) over w)::bigint
        ) as highest_level
    from pools as p
    inner join tenant_counts as n on p.tenant_id = n.tenant_id
    where p.escalates = p.only_escalating
    window w as (partition by p.tenant_id)
),

slots as (
    select
        l.tenant_id,
        l.user_id,
        row_number() over (
            partition by l.tenant_id
            order by l.open_tasks + k, l.user_id
        ) as pick
    from pool_levels as l
    cross join lateral generate_series(1, l.highest_level - l.open_tasks) as k
)

update gold_hitl_tasks_e5 t set
    assigned_to = s.user_id,
    assigned_at = %(logical_time)s,
    assignment_method = 'LEAST_LOADED',
    status = case when t.status = 'PENDING' then 'ASSIGNED' else t.status end,
    updated_at = now()
from unassigned as a
inner join slots as s on a.tenant_id = s.tenant_id and a.pick = s.pick
where t.id = a.id
