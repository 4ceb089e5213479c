-- migrations/20260119_004_create_referral_tables.sql

CREATE TABLE gold_referrals (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id UUID NOT NULL REFERENCES tenants(id),
    
    referrer_client_id UUID NOT NULL REFERENCES gold_clients(id),
    referrer_name VARCHAR(200),
    
    referred_prospect_id UUID REFERENCES gold_contacts(id),
    referred_contact_name VARCHAR(200),
    referred_contact_phone VARCHAR(30),
    referred_contact_email VARCHAR(255),
    referred_company_name VARCHAR(200),
    referred_company_cui VARCHAR(20),
    
    referral_type referral_type_enum NOT NULL,
    referral_source VARCHAR(50) NOT NULL,
    
    consent_status VARCHAR(30) NOT NULL DEFAULT 'PENDING_REQUEST',
    consent_given BOOLEAN DEFAULT FALSE,
    consent_given_at TIMESTAMPTZ,
    consent_proof_type VARCHAR(30),
    consent_proof_message_id UUID,
    consent_asked_at TIMESTAMPTZ,
    consent_reminder_count INTEGER DEFAULT 0,
    
    context_message TEXT,
    relationship_description TEXT,
    relationship_type relation_type_enum,
    
    distance_from_referrer_km DECIMAL(10,2),
    same_cluster BOOLEAN DEFAULT FALSE,
    cluster_id UUID,
    
    approach_script TEXT,
    approach_channel VARCHAR(20),
    approach_timing VARCHAR(50),
    
    status referral_status_enum NOT NULL DEFAULT 'PENDING_CONSENT',
    
    contact_attempts INTEGER DEFAULT 0,
    first_contact_at TIMESTAMPTZ,
    last_contact_at TIMESTAMPTZ,
    contact_history JSONB DEFAULT '[]',
    
    converted BOOLEAN DEFAULT FALSE,
    converted_at TIMESTAMPTZ,
    converted_order_id UUID REFERENCES gold_orders(id),
    converted_order_value DECIMAL(15,2),
    
    reward_type VARCHAR(30),
    reward_value DECIMAL(15,2),
    reward_currency VARCHAR(3) DEFAULT 'RON',
    reward_status VARCHAR(20),
    reward_paid_at TIMESTAMPTZ,
    
    referrer_last_asked_at TIMESTAMPTZ,
    expiry_reason VARCHAR(50),
    
    correlation_id UUID,
    campaign_id UUID,
    
    created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    expires_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW()
);

CREATE INDEX idx_referrals_tenant ON gold_referrals(tenant_id, created_at DESC);
CREATE INDEX idx_referrals_referrer ON gold_referrals(referrer_client_id, status);
CREATE INDEX idx_referrals_status ON gold_referrals(tenant_id, status, created_at DESC);
CREATE INDEX idx_referrals_converted ON gold_referrals(converted, tenant_id) WHERE converted = TRUE;

CREATE TABLE gold_entity_relationships (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id UUID NOT NULL REFERENCES tenants(id),
    
    source_entity_type VARCHAR(30) NOT NULL,
    source_entity_id UUID NOT NULL,
    target_entity_type VARCHAR(30) NOT NULL,
    target_entity_id UUID NOT NULL,
    
    relation_type relation_type_enum NOT NULL,
    relation_subtype VARCHAR(50),
    
    strength DECIMAL(5,2) NOT NULL,
    confidence_score DECIMAL(5,2) NOT NULL,
    bidirectional BOOLEAN DEFAULT TRUE,
    
    evidence_source VARCHAR(50) NOT NULL,
    evidence_source_id UUID,
    evidence_details JSONB,
    evidence_text TEXT,
    
    distance_meters DECIMAL(15,2),
    location_source_a GEOGRAPHY(POINT, 4326),
    location_source_b GEOGRAPHY(POINT, 4326),
    
    valid_from DATE,
    valid_until DATE,
    last_verified_at TIMESTAMPTZ,
    verification_count INTEGER DEFAULT 1,
    
    is_active BOOLEAN DEFAULT TRUE,
    deactivated_at TIMESTAMPTZ,
    deactivation_reason VARCHAR(100),
    
    created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW()
);

CREATE INDEX idx_relationships_source ON gold_entity_relationships(source_entity_id, relation_type);
CREATE INDEX idx_relationships_target ON gold_entity_relationships(target_entity_id, relation_type);
CREATE INDEX idx_relationships_geo_a ON gold_entity_relationships USING GIST (location_source_a);
CREATE INDEX idx_relationships_geo_b ON gold_entity_relationships USING GIST (location_source_b);

CREATE UNIQUE INDEX idx_relationships_unique 
    ON gold_entity_relationships(tenant_id, source_entity_id, target_entity_id, relation_type)
    WHERE is_active = TRUE;
