-- A task for each candidate whose client has no open task of the family.
insert into gold_hitl_tasks_e5 (
    tenant_id, task_type, priority, sla_deadline, sla_warning_at, sla_status, client_id,
    entity_type, entity_id, context, status, correlation_id, source_worker, created_at,
    updated_at
)
select
    c.tenant_id,
    %(task_type)s,
    c.priority,
    c.sla_deadline,
    c.sla_warning_at,
    'OK',
    c.client_id,
    c.entity_type,
    c.entity_id,
    c.context || jsonb_build_object('reason', c.reason, 'as_of', %(as_of)s::text),
    'PENDING',
    %(batch_id)s,
    %(source_worker)s,
    now(),
    now()
from hitl_task_plan as c
where not c.has_open_task
on conflict (tenant_id, client_id, task_type)
where cerniq_hitl_task_is_open(status) do nothing
