-- Rollback of 20260119_007_create_winback_tables: its part of rollback/20260119_rollback_all_e5.sql, in the seed's order.
DROP TABLE IF EXISTS gold_winback_campaigns;
DROP TABLE IF EXISTS gold_competitor_intel;
DROP TABLE IF EXISTS gold_content_drips;
DROP TABLE IF EXISTS gold_nps_surveys;
DROP TABLE IF EXISTS gold_kol_profiles;
