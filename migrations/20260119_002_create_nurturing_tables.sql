-- migrations/20260119_002_create_nurturing_tables.sql

-- Main nurturing state table
CREATE TABLE gold_nurturing_state (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id UUID NOT NULL REFERENCES tenants(id),
    client_id UUID NOT NULL REFERENCES gold_clients(id),
    
    current_state nurturing_state_enum NOT NULL DEFAULT 'ONBOARDING',
    previous_state nurturing_state_enum,
    state_changed_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    
    onboarding_started_at TIMESTAMPTZ,
    onboarding_completed_at TIMESTAMPTZ,
    first_order_at TIMESTAMPTZ,
    last_order_at TIMESTAMPTZ,
    last_interaction_at TIMESTAMPTZ,
    
    total_orders INTEGER DEFAULT 0,
    total_revenue DECIMAL(15,2) DEFAULT 0,
    average_order_value DECIMAL(15,2) DEFAULT 0,
    order_frequency_days DECIMAL(5,1),
    
    nps_score INTEGER,
    last_nps_survey_at TIMESTAMPTZ,
    nps_category VARCHAR(20),
    satisfaction_trend VARCHAR(20),
    
    churn_risk_score DECIMAL(5,2),
    churn_risk_level VARCHAR(20),
    days_since_last_order INTEGER,
    is_at_risk BOOLEAN DEFAULT FALSE,
    at_risk_since TIMESTAMPTZ,
    
    referral_count INTEGER DEFAULT 0,
    successful_referrals INTEGER DEFAULT 0,
    is_advocate BOOLEAN DEFAULT FALSE,
    advocate_since TIMESTAMPTZ,
    kol_score DECIMAL(5,2),
    
    preferred_channel VARCHAR(20),
    communication_frequency VARCHAR(20),
    last_content_sent_at TIMESTAMPTZ,
    content_engagement_rate DECIMAL(5,2),
    
    geographic_cluster_id UUID,
    neighbor_count INTEGER DEFAULT 0,
    
    assigned_account_manager UUID REFERENCES users(id),
    tags JSONB DEFAULT '[]',
    notes TEXT,
    
    created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW()
);

CREATE UNIQUE INDEX idx_nurturing_state_unique ON gold_nurturing_state(tenant_id, client_id);
CREATE INDEX idx_nurturing_state_current ON gold_nurturing_state(tenant_id, current_state);
CREATE INDEX idx_nurturing_state_churn ON gold_nurturing_state(tenant_id, churn_risk_score DESC) WHERE is_at_risk = TRUE;
CREATE INDEX idx_nurturing_state_advocate ON gold_nurturing_state(tenant_id, kol_score DESC) WHERE is_advocate = TRUE;

-- Actions audit table
CREATE TABLE gold_nurturing_actions (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id UUID NOT NULL REFERENCES tenants(id),
    nurturing_state_id UUID NOT NULL REFERENCES gold_nurturing_state(id),
    client_id UUID NOT NULL REFERENCES gold_clients(id),
    
    action_type VARCHAR(50) NOT NULL,
    action_category VARCHAR(30) NOT NULL,
    trigger_type VARCHAR(30) NOT NULL,
    trigger_event VARCHAR(100),
    trigger_data JSONB,
    
    channel VARCHAR(20) NOT NULL,
    content_template_id UUID,
    content_subject VARCHAR(255),
    content_body TEXT,
    content_personalization JSONB,
    
    status VARCHAR(20) NOT NULL DEFAULT 'PENDING',
    response_received BOOLEAN DEFAULT FALSE,
    response_at TIMESTAMPTZ,
    response_content TEXT,
    response_sentiment VARCHAR(20),
    
    message_id VARCHAR(255),
    delivered_at TIMESTAMPTZ,
    opened_at TIMESTAMPTZ,
    clicked_at TIMESTAMPTZ,
    
    error_code VARCHAR(50),
    error_message TEXT,
    retry_count INTEGER DEFAULT 0,
    
    correlation_id UUID,
    batch_id UUID,
    campaign_id UUID,
    
    scheduled_at TIMESTAMPTZ,
    executed_at TIMESTAMPTZ,
    created_at TIMESTAMPTZ NOT NULL DEFAULT NOW()
);

CREATE INDEX idx_nurturing_actions_tenant ON gold_nurturing_actions(tenant_id, created_at DESC);
CREATE INDEX idx_nurturing_actions_client ON gold_nurturing_actions(client_id, created_at DESC);
CREATE INDEX idx_nurturing_actions_status ON gold_nurturing_actions(status, scheduled_at);
