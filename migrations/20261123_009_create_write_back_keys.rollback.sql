-- Rollback of 20261123_009_create_write_back_keys.
DROP INDEX IF EXISTS idx_sentiment_source;
DROP INDEX IF EXISTS idx_hitl_e5_open_task;
DROP INDEX IF EXISTS idx_churn_signals_active_key;
