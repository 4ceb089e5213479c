-- Rollback of 20261123_011_create_outbox.
DROP TABLE IF EXISTS cerniq_outbox;
