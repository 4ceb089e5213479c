-- migrations/20261207_018_create_geography_keys.sql
-- Keys the geography step (SPEC §5) relies on, enforced by the database: one neighbour
-- suggestion (NEIGHBOR_STRATEGY from GEO_PROXIMITY) per referrer and contact, ever, so that two
-- runs at once cannot both insert it and a rerun inserts nothing; and the lookup of one
-- tenant's active cluster memberships the step makes on every run (the relationships' are
-- served by the seed's indexes: another index there would slow every insert of a pair).
-- btree_gist lets one GIST index hold (tenant_id, location), so the dbt models' ST_DWithin
-- searches only the tenant's own points: every tenant has farms in the same villages, and a
-- location-only index would return all tenants' points near each farm.
CREATE EXTENSION IF NOT EXISTS btree_gist;

CREATE UNIQUE INDEX idx_referrals_neighbor_suggestion
    ON gold_referrals(tenant_id, referrer_client_id, referred_prospect_id)
    WHERE referral_type = 'NEIGHBOR_STRATEGY' AND referral_source = 'GEO_PROXIMITY';

CREATE INDEX idx_cluster_members_active
    ON gold_cluster_members(tenant_id, cluster_id) WHERE left_at IS NULL;
