-- The work queue: each tenant's open tasks ranked by expected loss, highest first (queue_rank
-- 1 = work this first). A churn task's expected loss is its client's churn probability x
-- revenue at risk (cerniq_churn_predictions), which its context also carries; without a
-- prediction (or for another task type) it counts as 0, so the SLA order decides: deadline,
-- then creation (the batch), client and type (one open task each), id. A closed task leaves the
-- queue. Only tasks whose figures change are written: a rerun writes nothing.
with open_tasks as (
    select
        t.id,
        t.context,
        p.expected_loss,
        case
            when t.task_type = any(%(churn_task_types)s)
                then jsonb_build_object(
                    'churn_probability', round(p.churn_probability * 100, 2),
                    'predicted_churn_date', p.predicted_churn_date,
                    'revenue_at_risk', p.revenue_at_risk,
                    'expected_loss', p.expected_loss
                )
            else jsonb_build_object()
        end as prediction,
        row_number() over (
            partition by t.tenant_id
            order by
                coalesce(p.expected_loss, 0) desc,
                t.sla_deadline asc,
                t.created_at asc,
                t.client_id asc,
                t.task_type asc,
                t.id asc
        ) as queue_rank
    from gold_hitl_tasks_e5 as t
    left join cerniq_churn_predictions as p
        on
            t.tenant_id = p.tenant_id
            and t.client_id = p.client_id
            and t.task_type = any(%(churn_task_types)s)
    where t.tenant_id = any(%(tenants)s::uuid[]) and cerniq_hitl_task_is_open(t.status)
),

queue as (
    select
        id,
        queue_rank,
        expected_loss,
        context || prediction as context
    from open_tasks
    union all
    select
        id,
        null as queue_rank,
        expected_loss,
        context
    from gold_hitl_tasks_e5
    where
        tenant_id = any(%(tenants)s::uuid[])
        and not cerniq_hitl_task_is_open(status)
        and queue_rank is not null
)

update gold_hitl_tasks_e5 as t set
    queue_rank = q.queue_rank,
    expected_loss = q.expected_loss,
    context = q.context,
    updated_at = now()
from queue as q
where
    t.id = q.id
    and (
        t.queue_rank is distinct from q.queue_rank
        or t.expected_loss is distinct from q.expected_loss
        or t.context is distinct from q.context
    )
