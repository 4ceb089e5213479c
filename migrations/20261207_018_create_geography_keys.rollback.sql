-- Rollback of 20261207_018_create_geography_keys. The btree_gist extension stays: other
-- schemas (the dbt models' indexes) may use it.
DROP INDEX IF EXISTS idx_cluster_members_active;
DROP INDEX IF EXISTS idx_referrals_neighbor_suggestion;
