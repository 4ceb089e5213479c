-- Rollback of 20261202_012_create_rule_functions: the index as migration 009 made it.
DROP INDEX IF EXISTS idx_hitl_e5_open_task;
CREATE UNIQUE INDEX idx_hitl_e5_open_task
    ON gold_hitl_tasks_e5(tenant_id, client_id, task_type)
    WHERE status IN ('PENDING', 'ASSIGNED', 'IN_PROGRESS');
DROP FUNCTION IF EXISTS cerniq_hitl_task_is_open(VARCHAR);
DROP FUNCTION IF EXISTS cerniq_order_is_completed(VARCHAR, TIMESTAMPTZ);
