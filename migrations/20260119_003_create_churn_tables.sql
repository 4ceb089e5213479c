-- migrations/20260119_003_create_churn_tables.sql

CREATE TABLE gold_churn_signals (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id UUID NOT NULL REFERENCES tenants(id),
    client_id UUID NOT NULL REFERENCES gold_clients(id),
    nurturing_state_id UUID REFERENCES gold_nurturing_state(id),
    
    signal_type churn_signal_type_enum NOT NULL,
    signal_category VARCHAR(30) NOT NULL,
    strength DECIMAL(5,2) NOT NULL,
    confidence DECIMAL(5,2) NOT NULL,
    
    detected_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    detection_method VARCHAR(50) NOT NULL,
    detection_source VARCHAR(50),
    
    evidence_source_type VARCHAR(30),
    evidence_source_id UUID,
    evidence_details JSONB,
    evidence_text TEXT,
    
    is_recurring BOOLEAN DEFAULT FALSE,
    occurrence_count INTEGER DEFAULT 1,
    first_occurrence_at TIMESTAMPTZ,
    trend_direction VARCHAR(20),
    
    is_resolved BOOLEAN DEFAULT FALSE,
    resolved_at TIMESTAMPTZ,
    resolution_type VARCHAR(30),
    resolution_notes TEXT,
    
    correlation_id UUID,
    related_signal_ids UUID[],
    
    created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW()
);

CREATE INDEX idx_churn_signals_client ON gold_churn_signals(tenant_id, client_id);
CREATE INDEX idx_churn_signals_active ON gold_churn_signals(tenant_id, is_resolved, strength DESC);
CREATE INDEX idx_churn_signals_detection ON gold_churn_signals(detected_at DESC);

CREATE TABLE gold_churn_factors (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id UUID NOT NULL REFERENCES tenants(id),
    client_id UUID NOT NULL REFERENCES gold_clients(id),
    
    overall_churn_score DECIMAL(5,2) NOT NULL,
    risk_level VARCHAR(20) NOT NULL,
    
    communication_score DECIMAL(5,2),
    sentiment_score DECIMAL(5,2),
    order_frequency_score DECIMAL(5,2),
    payment_behavior_score DECIMAL(5,2),
    engagement_score DECIMAL(5,2),
    support_score DECIMAL(5,2),
    
    factor_breakdown JSONB DEFAULT '{}',
    
    days_since_last_order INTEGER,
    days_since_last_contact INTEGER,
    order_frequency_change DECIMAL(5,2),
    
    compared_to_segment_avg DECIMAL(5,2),
    segment VARCHAR(50),
    
    active_signal_count INTEGER DEFAULT 0,
    strongest_signal_type churn_signal_type_enum,
    strongest_signal_strength DECIMAL(5,2),
    
    predicted_churn_date DATE,
    prediction_confidence DECIMAL(5,2),
    
    calculated_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    valid_until TIMESTAMPTZ,
    
    created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW()
);

CREATE UNIQUE INDEX idx_churn_factors_unique ON gold_churn_factors(tenant_id, client_id);
CREATE INDEX idx_churn_factors_risk ON gold_churn_factors(tenant_id, risk_level, overall_churn_score DESC);

CREATE TABLE gold_sentiment_analysis (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id UUID NOT NULL REFERENCES tenants(id),
    
    source_type VARCHAR(30) NOT NULL,
    source_id UUID NOT NULL,
    client_id UUID NOT NULL REFERENCES gold_clients(id),
    
    original_text TEXT NOT NULL,
    cleaned_text TEXT,
    language VARCHAR(10) DEFAULT 'ro',
    
    sentiment_label VARCHAR(20) NOT NULL,
    sentiment_score DECIMAL(5,4),
    confidence DECIMAL(5,4) NOT NULL,
    
    emotions JSONB DEFAULT '{}',
    dominant_emotion VARCHAR(30),
    
    intents JSONB DEFAULT '[]',
    primary_intent VARCHAR(50),
    
    topics JSONB DEFAULT '[]',
    mentioned_products JSONB DEFAULT '[]',
    mentioned_competitors JSONB DEFAULT '[]',
    
    churn_indicators JSONB DEFAULT '[]',
    churn_signal_strength DECIMAL(5,2),
    generated_churn_signal_id UUID REFERENCES gold_churn_signals(id),
    
    model_name VARCHAR(50) NOT NULL,
    model_version VARCHAR(20),
    processing_time_ms INTEGER,
    
    analyzed_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    source_created_at TIMESTAMPTZ
);

CREATE INDEX idx_sentiment_client ON gold_sentiment_analysis(tenant_id, client_id);
CREATE INDEX idx_sentiment_negative ON gold_sentiment_analysis(client_id, analyzed_at DESC) WHERE sentiment_label = 'NEGATIVE';
