-- Rollback of 20261207_019_create_competitor_name_folding. The unaccent extension stays (other
-- schemas may use it), and so do the folded names: the lower-cased ones are not kept.
DROP INDEX IF EXISTS idx_sentiment_naming_competitors;
