-- The top of the work queue of the step's tenants, for its metadata.
select
    q.queue_rank,
    q.client_name,
    q.task_type,
    q.churn_probability,
    q.predicted_churn_date,
    q.revenue_at_risk,
    q.expected_loss,
    q.assignee_name
from cerniq_hitl_work_queue as q
where q.tenant_id = any(%(tenants)s::uuid[])
order by q.queue_rank, q.tenant_id
limit %(row_count)s
