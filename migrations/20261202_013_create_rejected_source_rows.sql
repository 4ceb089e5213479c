-- migrations/20261202_013_create_rejected_source_rows.sql
-- Rows of the app's per-client source tables that would corrupt results are rejected, never
-- data: the rules are the functions below, stated once, which the dbt staging views (to drop the
-- rows), the rejection model fct_rejected_source_rows (to list them) and the sentiment step
-- (which runs before dbt) call. The app's own tables may lack the NOT NULL and CHECK constraints
-- of migration 000 (it only creates missing tables), so these rules do not rely on them.
--
-- Each function returns the rule the row breaks, or NULL when the row is valid; the first rule
-- that applies wins. IMMUTABLE SQL functions: PostgreSQL inlines them into the query. The
-- client's tenant (client_tenant_id) is that of gold_clients' row for the row's client_id,
-- NULL when there is none.

-- SPEC §1.1: a per-client row belongs to a client of its own tenant.
CREATE FUNCTION cerniq_client_rejection(tenant_id UUID, client_tenant_id UUID)
    RETURNS VARCHAR
    LANGUAGE SQL IMMUTABLE PARALLEL SAFE
    RETURN CASE
        WHEN client_tenant_id IS NULL THEN 'CLIENT_UNKNOWN'
        WHEN client_tenant_id IS DISTINCT FROM tenant_id THEN 'CLIENT_OF_OTHER_TENANT'
    END;

-- Orders: a value to count, in RON (revenue is summed in RON; converting another currency needs
-- a rate table the tenant maintains, which does not exist yet, so such orders are rejected).
CREATE FUNCTION cerniq_order_rejection(
    tenant_id UUID, client_tenant_id UUID, total_value NUMERIC, currency VARCHAR
)
    RETURNS VARCHAR
    LANGUAGE SQL IMMUTABLE PARALLEL SAFE
    RETURN coalesce(
        cerniq_client_rejection(tenant_id, client_tenant_id),
        CASE
            WHEN total_value IS NULL THEN 'ORDER_VALUE_MISSING'
            WHEN total_value < 0 THEN 'ORDER_VALUE_NEGATIVE'
            WHEN currency IS DISTINCT FROM 'RON' THEN 'CURRENCY_NOT_RON'
        END
    );

-- Messages: a body to analyse (NULL or only white space is none).
CREATE FUNCTION cerniq_message_rejection(tenant_id UUID, client_tenant_id UUID, body TEXT)
    RETURNS VARCHAR
    LANGUAGE SQL IMMUTABLE PARALLEL SAFE
    RETURN coalesce(
        cerniq_client_rejection(tenant_id, client_tenant_id),
        CASE WHEN body IS NULL OR body !~ '[^[:space:]]' THEN 'MESSAGE_BODY_EMPTY' END
    );

-- Invoices: both dates, due on or after issue, and an amount that is not negative.
CREATE FUNCTION cerniq_invoice_rejection(
    tenant_id UUID, client_tenant_id UUID, amount NUMERIC, issued_at TIMESTAMPTZ,
    due_at TIMESTAMPTZ
)
    RETURNS VARCHAR
    LANGUAGE SQL IMMUTABLE PARALLEL SAFE
    RETURN coalesce(
        cerniq_client_rejection(tenant_id, client_tenant_id),
        CASE
            WHEN issued_at IS NULL OR due_at IS NULL THEN 'INVOICE_DATES_MISSING'
            WHEN due_at < issued_at THEN 'INVOICE_DUE_BEFORE_ISSUED'
            WHEN amount < 0 THEN 'INVOICE_AMOUNT_NEGATIVE'
        END
    );

-- Support tickets: the client rule only.
CREATE FUNCTION cerniq_support_ticket_rejection(tenant_id UUID, client_tenant_id UUID)
    RETURNS VARCHAR
    LANGUAGE SQL IMMUTABLE PARALLEL SAFE
    RETURN cerniq_client_rejection(tenant_id, client_tenant_id);

-- NPS surveys and answers: a score, when given, on the 0-10 scale (SPEC §1.2).
CREATE FUNCTION cerniq_nps_survey_rejection(tenant_id UUID, client_tenant_id UUID, score INTEGER)
    RETURNS VARCHAR
    LANGUAGE SQL IMMUTABLE PARALLEL SAFE
    RETURN coalesce(
        cerniq_client_rejection(tenant_id, client_tenant_id),
        CASE WHEN score NOT BETWEEN 0 AND 10 THEN 'NPS_SCORE_OUT_OF_RANGE' END
    );

-- The rejected rows, as the rejected_source_rows step records them from fct_rejected_source_rows:
-- one row per source row, with the rule it breaks and the values that break it. first_seen_at
-- and last_seen_at are wall-clock (the runs that saw it); resolved_at is set by the first run
-- of its tenant that no longer rejects it (the app fixed or deleted the row), and cleared if it
-- breaks a rule again.
CREATE TABLE cerniq_rejected_source_rows (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    source_table VARCHAR(63) NOT NULL,
    source_id UUID NOT NULL,
    tenant_id UUID NOT NULL REFERENCES tenants(id),
    client_id UUID,
    rule VARCHAR(40) NOT NULL,
    detail JSONB NOT NULL DEFAULT '{}',
    first_seen_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    last_seen_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    resolved_at TIMESTAMPTZ
);

CREATE UNIQUE INDEX idx_rejected_source_rows_source
    ON cerniq_rejected_source_rows(source_table, source_id);
CREATE INDEX idx_rejected_source_rows_open
    ON cerniq_rejected_source_rows(tenant_id, source_table, rule) WHERE resolved_at IS NULL;
