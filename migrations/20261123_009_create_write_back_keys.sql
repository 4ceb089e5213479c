-- migrations/20261123_009_create_write_back_keys.sql
-- Keys the set-based write-back relies on, enforced by the database rather than by code, so
-- that two runs of one tenant at once cannot both insert.

-- One active churn signal per (client, type, evidence source) (SPEC §4 "Evidence keys").
CREATE UNIQUE INDEX idx_churn_signals_active_key
    ON gold_churn_signals(tenant_id, client_id, signal_type, evidence_source_id)
    WHERE is_resolved = FALSE;

-- At most one open HITL task per client and task type (SPEC §3 "Transition").
CREATE UNIQUE INDEX idx_hitl_e5_open_task
    ON gold_hitl_tasks_e5(tenant_id, client_id, task_type)
    WHERE status IN ('PENDING', 'ASSIGNED', 'IN_PROGRESS');

-- One sentiment analysis per analysed source (SPEC §2 "Idempotency").
CREATE UNIQUE INDEX idx_sentiment_source
    ON gold_sentiment_analysis(tenant_id, source_type, source_id);
