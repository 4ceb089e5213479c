-- Rollback of 20260119_008_create_hitl_e5_tables: its part of rollback/20260119_rollback_all_e5.sql, in the seed's order.
DROP TABLE IF EXISTS gold_hitl_tasks_e5;
