-- Rollback of 20260119_004_create_referral_tables: its part of rollback/20260119_rollback_all_e5.sql, in the seed's order.
DROP TABLE IF EXISTS gold_entity_relationships;
DROP TABLE IF EXISTS gold_referrals;
