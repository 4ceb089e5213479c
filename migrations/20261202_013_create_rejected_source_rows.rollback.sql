-- Rollback of 20261202_013_create_rejected_source_rows.
DROP TABLE IF EXISTS cerniq_rejected_source_rows;
DROP FUNCTION IF EXISTS cerniq_nps_survey_rejection(UUID, UUID, INTEGER);
DROP FUNCTION IF EXISTS cerniq_support_ticket_rejection(UUID, UUID);
DROP FUNCTION IF EXISTS cerniq_invoice_rejection(UUID, UUID, NUMERIC, TIMESTAMPTZ, TIMESTAMPTZ);
DROP FUNCTION IF EXISTS cerniq_message_rejection(UUID, UUID, TEXT);
DROP FUNCTION IF EXISTS cerniq_order_rejection(UUID, UUID, NUMERIC, VARCHAR);
DROP FUNCTION IF EXISTS cerniq_client_rejection(UUID, UUID);
