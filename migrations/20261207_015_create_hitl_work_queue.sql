-- migrations/20261207_015_create_hitl_work_queue.sql
-- The HITL work queue (issue 14): each tenant's open tasks ranked by expected loss, kept on the
-- task itself so that the Cerniq app reads the queue without the pipeline's tables. The
-- hitl_tasks step (after every evaluation, and alone every 15 minutes) recomputes both columns
-- (defs/hitl/sql/rank_work_queue.sql); nullable, so the app's own writers keep working.

-- The client's churn probability x revenue at risk (cerniq_churn_predictions) for churn tasks;
-- NULL without a prediction, or for other task types.
ALTER TABLE gold_hitl_tasks_e5 ADD COLUMN expected_loss NUMERIC(15, 2);
-- 1 = work this first, per tenant, over its open tasks; NULL once the task is closed.
ALTER TABLE gold_hitl_tasks_e5 ADD COLUMN queue_rank INTEGER;

CREATE INDEX idx_hitl_e5_work_queue ON gold_hitl_tasks_e5 (tenant_id, queue_rank)
    WHERE queue_rank IS NOT NULL;

-- The queue as the app lists it: one row per open task, in queue_rank order per tenant.
-- The prediction's figures are those the hitl_tasks step copied into the churn task's context;
-- assigned_to NULL means the task waits in the tenant's pool (its assignee would be over
-- capacity, or nobody is active).
CREATE VIEW cerniq_hitl_work_queue AS
SELECT
    t.tenant_id,
    t.queue_rank,
    t.id AS task_id,
    t.task_number,
    t.client_id,
    c.company_name AS client_name,
    t.task_type,
    t.priority,
    t.status,
    (t.context ->> 'churn_probability')::NUMERIC AS churn_probability,
    (t.context ->> 'predicted_churn_date')::DATE AS predicted_churn_date,
    (t.context ->> 'revenue_at_risk')::NUMERIC AS revenue_at_risk,
    t.expected_loss,
    t.assigned_to,
    coalesce(u.full_name, u.email) AS assignee_name,
    t.sla_status,
    t.sla_deadline
FROM gold_hitl_tasks_e5 AS t
LEFT JOIN gold_clients AS c ON c.id = t.client_id
LEFT JOIN users AS u ON u.id = t.assigned_to
WHERE cerniq_hitl_task_is_open(t.status);
