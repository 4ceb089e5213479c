-- Rollback of 20260119_002_create_nurturing_tables: its part of rollback/20260119_rollback_all_e5.sql, in the seed's order.
DROP TABLE IF EXISTS gold_nurturing_actions;
DROP TABLE IF EXISTS gold_nurturing_state;
