-- migrations/20260119_007_create_winback_tables.sql
-- Designed here (SPEC §1.2): KOL profiles of advocates, NPS surveys and answers, content drip
-- sequences, competitor intelligence from client messages, and win-back campaigns.

CREATE TABLE gold_kol_profiles (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id UUID NOT NULL REFERENCES tenants(id),
    client_id UUID NOT NULL REFERENCES gold_clients(id),
    nurturing_state_id UUID REFERENCES gold_nurturing_state(id),

    kol_score DECIMAL(5,2) NOT NULL CHECK (kol_score BETWEEN 0 AND 100),
    kol_tier VARCHAR(20),
    score_components JSONB NOT NULL DEFAULT '{}',

    successful_referrals INTEGER DEFAULT 0,
    nps_score INTEGER,
    total_revenue DECIMAL(15,2),
    tenure_days INTEGER,
    influence_radius_km DECIMAL(10,2),
    cluster_id UUID REFERENCES gold_clusters(id),

    promoted_at TIMESTAMPTZ NOT NULL,
    is_active BOOLEAN DEFAULT TRUE,
    deactivated_at TIMESTAMPTZ,
    created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW()
);

CREATE UNIQUE INDEX idx_kol_profiles_unique ON gold_kol_profiles(tenant_id, client_id);
CREATE INDEX idx_kol_profiles_score ON gold_kol_profiles(tenant_id, kol_score DESC) WHERE is_active = TRUE;

CREATE TABLE gold_nps_surveys (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id UUID NOT NULL REFERENCES tenants(id),
    client_id UUID NOT NULL REFERENCES gold_clients(id),
    nurturing_state_id UUID REFERENCES gold_nurturing_state(id),
    order_id UUID REFERENCES gold_orders(id),

    survey_type VARCHAR(30) NOT NULL DEFAULT 'POST_ORDER',
    channel VARCHAR(20) NOT NULL DEFAULT 'EMAIL',
    status VARCHAR(20) NOT NULL DEFAULT 'SCHEDULED'
        CHECK (status IN ('SCHEDULED', 'SENT', 'RESPONDED', 'EXPIRED', 'SKIPPED', 'FAILED')),

    scheduled_at TIMESTAMPTZ NOT NULL,
    sent_at TIMESTAMPTZ,
    responded_at TIMESTAMPTZ,
    score INTEGER CHECK (score BETWEEN 0 AND 10),
    comment TEXT,
    nps_category VARCHAR(20),

    skip_reason VARCHAR(50),
    nurturing_action_id UUID REFERENCES gold_nurturing_actions(id),
    created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    -- An NPS response is a row whose score and responded_at are both set (SPEC §1.2).
    CHECK ((score IS NULL) = (responded_at IS NULL))
);

CREATE UNIQUE INDEX idx_nps_surveys_order ON gold_nps_surveys(tenant_id, order_id, survey_type) WHERE order_id IS NOT NULL;
CREATE INDEX idx_nps_surveys_client ON gold_nps_surveys(tenant_id, client_id, responded_at DESC);
CREATE INDEX idx_nps_surveys_due ON gold_nps_surveys(tenant_id, scheduled_at) WHERE sent_at IS NULL;

CREATE TABLE gold_content_drips (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id UUID NOT NULL REFERENCES tenants(id),
    client_id UUID NOT NULL REFERENCES gold_clients(id),
    nurturing_state_id UUID REFERENCES gold_nurturing_state(id),

    sequence_name VARCHAR(50) NOT NULL,
    step_number INTEGER NOT NULL CHECK (step_number >= 1),
    content_type content_type_enum NOT NULL,
    channel VARCHAR(20) NOT NULL,
    content_subject VARCHAR(255),
    content_template_id UUID,

    status VARCHAR(20) NOT NULL DEFAULT 'SCHEDULED'
        CHECK (status IN ('SCHEDULED', 'SENT', 'SKIPPED', 'FAILED', 'CANCELLED')),
    scheduled_at TIMESTAMPTZ NOT NULL,
    sent_at TIMESTAMPTZ,
    opened_at TIMESTAMPTZ,
    clicked_at TIMESTAMPTZ,

    nurturing_action_id UUID REFERENCES gold_nurturing_actions(id),
    created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW()
);

CREATE UNIQUE INDEX idx_content_drips_step ON gold_content_drips(tenant_id, client_id, sequence_name, step_number);
CREATE INDEX idx_content_drips_due ON gold_content_drips(tenant_id, scheduled_at) WHERE status = 'SCHEDULED';

CREATE TABLE gold_competitor_intel (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id UUID NOT NULL REFERENCES tenants(id),
    client_id UUID NOT NULL REFERENCES gold_clients(id),

    competitor_name VARCHAR(200) NOT NULL,
    competitor_normalized VARCHAR(200) NOT NULL,
    source_type VARCHAR(30) NOT NULL,
    source_id UUID NOT NULL,
    sentiment_analysis_id UUID REFERENCES gold_sentiment_analysis(id),

    context_text TEXT,
    mention_sentiment VARCHAR(20),
    mentioned_products JSONB DEFAULT '[]',
    price_mentioned BOOLEAN DEFAULT FALSE,

    mentioned_at TIMESTAMPTZ NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT NOW()
);

CREATE UNIQUE INDEX idx_competitor_intel_unique
    ON gold_competitor_intel(tenant_id, source_type, source_id, competitor_normalized);
CREATE INDEX idx_competitor_intel_tenant ON gold_competitor_intel(tenant_id, competitor_normalized, mentioned_at DESC);

CREATE TABLE gold_winback_campaigns (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id UUID NOT NULL REFERENCES tenants(id),
    client_id UUID NOT NULL REFERENCES gold_clients(id),
    nurturing_state_id UUID REFERENCES gold_nurturing_state(id),

    triggered_by VARCHAR(50) NOT NULL DEFAULT 'CHURN_DETECTED',
    status VARCHAR(20) NOT NULL DEFAULT 'ACTIVE'
        CHECK (status IN ('ACTIVE', 'SUCCEEDED', 'FAILED', 'CANCELLED')),
    steps JSONB NOT NULL DEFAULT '[]',
    current_step INTEGER NOT NULL DEFAULT 0,
    offer_type VARCHAR(30),
    offer_value DECIMAL(15,2),

    started_at TIMESTAMPTZ NOT NULL,
    ended_at TIMESTAMPTZ,
    outcome VARCHAR(30),
    reactivation_order_id UUID REFERENCES gold_orders(id),
    reactivated_at TIMESTAMPTZ,

    created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW()
);

-- At most one running win-back per client; finished ones stay as history.
CREATE UNIQUE INDEX idx_winback_active ON gold_winback_campaigns(tenant_id, client_id) WHERE status = 'ACTIVE';
CREATE INDEX idx_winback_tenant ON gold_winback_campaigns(tenant_id, status, started_at DESC);
