-- Rollback of 20260119_006_create_association_tables: its part of rollback/20260119_rollback_all_e5.sql, in the seed's order.
DROP TABLE IF EXISTS gold_affiliations;
DROP TABLE IF EXISTS gold_cooperatives;
DROP TABLE IF EXISTS gold_ouai_registry;
DROP TABLE IF EXISTS gold_associations;
