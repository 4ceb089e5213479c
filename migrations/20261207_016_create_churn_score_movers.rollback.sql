-- Rollback of 20261207_016_create_churn_score_movers.
DROP FUNCTION IF EXISTS cerniq_churn_score_trend(UUID, UUID, DATE, DATE);
DROP FUNCTION IF EXISTS cerniq_churn_score_movers(UUID, UUID, DATE, DATE);
