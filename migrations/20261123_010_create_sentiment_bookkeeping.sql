-- migrations/20261123_010_create_sentiment_bookkeeping.sql
-- What the sentiment step needs besides gold_sentiment_analysis: the competitors each tenant
-- watches for (editable by the tenant in the Cerniq app), and the messages whose analysis
-- failed, so they are retried on the next runs and given up after a set number of attempts.

CREATE TABLE cerniq_tenant_competitors (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id UUID NOT NULL REFERENCES tenants(id),
    competitor_name VARCHAR(200) NOT NULL,
    is_active BOOLEAN NOT NULL DEFAULT TRUE,
    created_at TIMESTAMPTZ NOT NULL DEFAULT NOW()
);

CREATE UNIQUE INDEX idx_tenant_competitors_name
    ON cerniq_tenant_competitors(tenant_id, lower(competitor_name));

CREATE TABLE cerniq_sentiment_failures (
    tenant_id UUID NOT NULL REFERENCES tenants(id),
    message_id UUID NOT NULL REFERENCES gold_client_messages(id),
    attempts INTEGER NOT NULL CHECK (attempts >= 1),
    last_error TEXT NOT NULL,
    is_given_up BOOLEAN NOT NULL DEFAULT FALSE,
    first_failed_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    last_failed_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    PRIMARY KEY (tenant_id, message_id)
);
