-- A client's open task of the family takes a higher priority, an earlier deadline (never a
-- later one) and one more escalation level, instead of a second task being opened; its context
-- takes the new cause's keys and as-of date (keys the new cause lacks are kept).
update gold_hitl_tasks_e5 as t set
    priority = c.priority,
    context = t.context || c.context || jsonb_build_object('as_of', %(as_of)s::text),
    sla_deadline = least(t.sla_deadline, c.sla_deadline),
    sla_warning_at = least(t.sla_warning_at, c.sla_warning_at),
    escalation_level = t.escalation_level + 1,
    escalated_at = %(logical_time)s,
    escalation_reason = c.reason,
    updated_at = now()
from hitl_task_plan as c
inner join {int_tenant_hitl_sla_policy} as held on c.tenant_id = held.tenant_id
where
    t.tenant_id = c.tenant_id
    and t.client_id = c.client_id
    and t.task_type = any(%(task_family)s)
    and cerniq_hitl_task_is_open(t.status)
    and held.priority = t.priority
    and c.priority_rank > held.priority_rank
