-- The candidates of hitl_task_candidates with their SLA, from the tenant's policy for their
-- priority (the one place SLA deadlines are computed), and whether the client already has an
-- open task of the same family, decided before anything is written.
select
    c.tenant_id,
    c.client_id,
    c.priority,
    c.entity_type,
    c.entity_id,
    c.reason,
    c.context,
    p.priority_rank,
    %(logical_time)s + interval '1 hour' * p.sla_hours as sla_deadline,
    %(logical_time)s + interval '1 hour' * p.sla_warning_hours as sla_warning_at,
    exists(
        select 1
        from gold_hitl_tasks_e5 as t
        where
            t.tenant_id = c.tenant_id
            and t.client_id = c.client_id
            and t.task_type = any(%(task_family)s)
            and cerniq_hitl_task_is_open(t.status)
    ) as has_open_task
from hitl_task_candidates as c
inner join {int_tenant_hitl_sla_policy} as p
    on c.tenant_id = p.tenant_id and c.priority = p.priority
