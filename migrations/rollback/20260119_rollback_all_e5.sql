-- rollback/20260119_rollback_all_e5.sql

DROP TABLE IF EXISTS gold_hitl_tasks_e5;
DROP TABLE IF EXISTS gold_winback_campaigns;
DROP TABLE IF EXISTS gold_competitor_intel;
DROP TABLE IF EXISTS gold_content_drips;
DROP TABLE IF EXISTS gold_nps_surveys;
DROP TABLE IF EXISTS gold_kol_profiles;
DROP TABLE IF EXISTS gold_affiliations;
DROP TABLE IF EXISTS gold_cooperatives;
DROP TABLE IF EXISTS gold_ouai_registry;
DROP TABLE IF EXISTS gold_associations;
DROP TABLE IF EXISTS gold_cluster_members;
DROP TABLE IF EXISTS gold_clusters;
DROP TABLE IF EXISTS gold_proximity_scores;
DROP TABLE IF EXISTS gold_entity_relationships;
DROP TABLE IF EXISTS gold_referrals;
DROP TABLE IF EXISTS gold_sentiment_analysis;
DROP TABLE IF EXISTS gold_churn_factors;
DROP TABLE IF EXISTS gold_churn_signals;
DROP TABLE IF EXISTS gold_nurturing_actions;
DROP TABLE IF EXISTS gold_nurturing_state;

DROP TYPE IF EXISTS content_type_enum;
DROP TYPE IF EXISTS cluster_type_enum;
DROP TYPE IF EXISTS relation_type_enum;
DROP TYPE IF EXISTS referral_status_enum;
DROP TYPE IF EXISTS referral_type_enum;
DROP TYPE IF EXISTS churn_signal_type_enum;
DROP TYPE IF EXISTS nurturing_state_enum;
