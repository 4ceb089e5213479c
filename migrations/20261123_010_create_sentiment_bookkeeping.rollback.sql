-- Rollback of 20261123_010_create_sentiment_bookkeeping.
DROP TABLE IF EXISTS cerniq_sentiment_failures;
DROP TABLE IF EXISTS cerniq_tenant_competitors;
