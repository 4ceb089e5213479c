-- migrations/20261207_019_create_competitor_name_folding.sql
-- gold_competitor_intel.competitor_normalized is the name without case or diacritics
-- (lower(unaccent(...))), as the offline analyzer compares names (offline.fold): "Azomureș",
-- "AZOMUREŞ" and "Azomures" are one competitor, whoever wrote the analysis. unaccent is a
-- trusted contrib extension (PostgreSQL 13+): a database owner may create it.
CREATE EXTENSION IF NOT EXISTS unaccent;

-- Rows recorded when the name was only lower-cased: one row per source and folded name (the
-- first name in sort order kept), then every row folded.
DELETE FROM gold_competitor_intel AS duplicate
USING gold_competitor_intel AS kept
WHERE
    duplicate.tenant_id = kept.tenant_id
    AND duplicate.source_type = kept.source_type
    AND duplicate.source_id = kept.source_id
    AND lower(unaccent(duplicate.competitor_name)) = lower(unaccent(kept.competitor_name))
    AND (duplicate.competitor_name, duplicate.id)
    > (kept.competitor_name, kept.id);
UPDATE gold_competitor_intel
SET competitor_normalized = lower(unaccent(competitor_name))
WHERE competitor_normalized <> lower(unaccent(competitor_name));

-- The analyses naming a competitor, for the intel step: it reads those not yet recorded, not
-- the tenant's whole history.
CREATE INDEX idx_sentiment_naming_competitors ON gold_sentiment_analysis(tenant_id)
    WHERE jsonb_typeof(mentioned_competitors) = 'array' AND mentioned_competitors <> '[]'::jsonb;
