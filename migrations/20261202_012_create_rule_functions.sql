-- migrations/20261202_012_create_rule_functions.sql
-- Rules that SQL in several places asks, stated once, here: the dbt models, the write-back
-- steps, the sensors, `cerniq show`, the demo report and the Cerniq app call these functions.
-- IMMUTABLE SQL functions: PostgreSQL inlines them, so queries still use the indexes a literal
-- condition would.

-- SPEC §1.1 (seed A1 lifecycle:order:completed): an order is completed when delivered.
CREATE FUNCTION cerniq_order_is_completed(status VARCHAR, delivered_at TIMESTAMPTZ)
    RETURNS BOOLEAN
    LANGUAGE SQL IMMUTABLE PARALLEL SAFE
    RETURN status = 'DELIVERED' AND delivered_at IS NOT NULL;

-- SPEC §4: the open statuses of a HITL task. The "one open task per client and type" index
-- uses the same function, so ON CONFLICT infers it from the same words.
CREATE FUNCTION cerniq_hitl_task_is_open(status VARCHAR) RETURNS BOOLEAN
    LANGUAGE SQL IMMUTABLE PARALLEL SAFE
    RETURN status IN ('PENDING', 'ASSIGNED', 'IN_PROGRESS');

DROP INDEX idx_hitl_e5_open_task;
CREATE UNIQUE INDEX idx_hitl_e5_open_task
    ON gold_hitl_tasks_e5(tenant_id, client_id, task_type)
    WHERE cerniq_hitl_task_is_open(status);
