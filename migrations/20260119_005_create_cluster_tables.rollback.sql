-- Rollback of 20260119_005_create_cluster_tables: its part of rollback/20260119_rollback_all_e5.sql, in the seed's order.
DROP TABLE IF EXISTS gold_cluster_members;
DROP TABLE IF EXISTS gold_clusters;
DROP TABLE IF EXISTS gold_proximity_scores;
