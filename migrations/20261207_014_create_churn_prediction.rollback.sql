-- Rollback of 20261207_014_create_churn_prediction.
ALTER TABLE gold_churn_factors ALTER COLUMN order_frequency_change TYPE DECIMAL(5, 2)
    USING least(greatest(order_frequency_change, -999.99), 999.99);
DROP TABLE IF EXISTS gold_churn_score_history;
DROP TABLE IF EXISTS cerniq_churn_predictions;
