-- A breach escalates once, when the clock reaches it, to the least-escalated-to active user of
-- the tenant with one of its escalation roles (lifecycle_settings), other than the assignee:
-- loads as they were before this statement, one aggregate for every breach (set-based).
with escalation_load as materialized (
    select
        u.tenant_id,
        u.id as user_id,
        count(t.id) as open_escalations
    from users as u
    inner join {int_tenant_lifecycle_settings} as cfg on u.tenant_id = cfg.tenant_id
    left join gold_hitl_tasks_e5 as t
        on u.id = t.escalated_to and cerniq_hitl_task_is_open(t.status)
    where
        u.tenant_id = any(%(tenants)s::uuid[]) and u.is_active
        and u.role = any(string_to_array(cfg.escalation_roles, ','))
    group by u.tenant_id, u.id
),

escalations as (
    select distinct on (b.id)
        b.id,
        b.sla_deadline,
        b.status,
        l.user_id as escalated_to
    from gold_hitl_tasks_e5 as b
    left join escalation_load as l
        on b.tenant_id = l.tenant_id and l.user_id is distinct from b.assigned_to
    where b.id = any(%(breached)s::uuid[])
    order by b.id, l.open_escalations, l.user_id
)

update gold_hitl_tasks_e5 t set
    escalation_level = t.escalation_level + 1,
    escalated_at = %(logical_time)s,
    escalated_to = e.escalated_to,
    escalation_reason = 'SLA breached: deadline ' || to_char(
        e.sla_deadline at time zone %(business_timezone)s, 'YYYY-MM-DD HH24:MI'
    )
    || ' (' || %(business_timezone)s || ') passed with the task ' || e.status,
    updated_at = now()
from escalations as e
where t.id = e.id
