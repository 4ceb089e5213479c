-- migrations/20261123_011_create_outbox.sql
-- The outbox of outgoing client messages (NPS surveys, onboarding content, referral requests,
-- win-back steps): the nurturing steps write here in their own transaction, and the Cerniq
-- app's messaging service (e-mail, WhatsApp, SMS providers) delivers and marks each row. One
-- row per source record, so a rerun never enqueues a message twice.

CREATE TABLE cerniq_outbox (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id UUID NOT NULL REFERENCES tenants(id),
    client_id UUID NOT NULL REFERENCES gold_clients(id),

    channel VARCHAR(20) NOT NULL,
    message_type VARCHAR(30) NOT NULL,
    subject VARCHAR(255),
    payload JSONB NOT NULL DEFAULT '{}',

    source_table VARCHAR(63) NOT NULL,
    source_id UUID NOT NULL,

    status VARCHAR(20) NOT NULL DEFAULT 'PENDING'
        CHECK (status IN ('PENDING', 'DELIVERED', 'FAILED')),
    enqueued_at TIMESTAMPTZ NOT NULL,
    delivered_at TIMESTAMPTZ,
    error_message TEXT,
    created_at TIMESTAMPTZ NOT NULL DEFAULT NOW()
);

CREATE UNIQUE INDEX idx_cerniq_outbox_source ON cerniq_outbox(source_table, source_id);
CREATE INDEX idx_cerniq_outbox_pending ON cerniq_outbox(tenant_id, enqueued_at) WHERE status = 'PENDING';
