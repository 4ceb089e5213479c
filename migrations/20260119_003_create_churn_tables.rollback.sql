-- Rollback of 20260119_003_create_churn_tables: its part of rollback/20260119_rollback_all_e5.sql, in the seed's order.
DROP TABLE IF EXISTS gold_sentiment_analysis;
DROP TABLE IF EXISTS gold_churn_factors;
DROP TABLE IF EXISTS gold_churn_signals;
