-- Rollback of 20260119_001_create_e5_enums: its part of rollback/20260119_rollback_all_e5.sql, in the seed's order.
DROP TYPE IF EXISTS content_type_enum;
DROP TYPE IF EXISTS cluster_type_enum;
DROP TYPE IF EXISTS relation_type_enum;
DROP TYPE IF EXISTS referral_status_enum;
DROP TYPE IF EXISTS referral_type_enum;
DROP TYPE IF EXISTS churn_signal_type_enum;
DROP TYPE IF EXISTS nurturing_state_enum;
