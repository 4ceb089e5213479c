-- Rollback of 20261207_015_create_hitl_work_queue.
DROP VIEW IF EXISTS cerniq_hitl_work_queue;
DROP INDEX IF EXISTS idx_hitl_e5_work_queue;
ALTER TABLE gold_hitl_tasks_e5 DROP COLUMN IF EXISTS queue_rank;
ALTER TABLE gold_hitl_tasks_e5 DROP COLUMN IF EXISTS expected_loss;
