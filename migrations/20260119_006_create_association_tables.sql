-- migrations/20260119_006_create_association_tables.sql
-- Designed here (SPEC §1.2): the formal groups Romanian farmers belong to (producer
-- associations, OUAI water-user organisations, cooperatives) and each client's membership.

CREATE TABLE gold_associations (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id UUID NOT NULL REFERENCES tenants(id),

    name VARCHAR(200) NOT NULL,
    association_type VARCHAR(50) NOT NULL,
    cui VARCHAR(20),
    registration_number VARCHAR(50),
    county VARCHAR(50),
    locality VARCHAR(100),
    location GEOGRAPHY(POINT, 4326),

    member_count INTEGER,
    website VARCHAR(255),
    contact_person VARCHAR(200),
    contact_phone VARCHAR(30),

    cluster_id UUID REFERENCES gold_clusters(id),
    source VARCHAR(50) NOT NULL,
    is_active BOOLEAN DEFAULT TRUE,
    created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW()
);

CREATE INDEX idx_associations_tenant ON gold_associations(tenant_id, county);
CREATE UNIQUE INDEX idx_associations_cui ON gold_associations(tenant_id, cui) WHERE cui IS NOT NULL;

CREATE TABLE gold_ouai_registry (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id UUID NOT NULL REFERENCES tenants(id),

    ouai_name VARCHAR(200) NOT NULL,
    registry_code VARCHAR(50),
    cui VARCHAR(20),
    county VARCHAR(50),
    localities JSONB DEFAULT '[]',
    location GEOGRAPHY(POINT, 4326),

    irrigated_area_ha DECIMAL(12,2),
    member_count INTEGER,
    president_name VARCHAR(200),
    anif_branch VARCHAR(100),

    cluster_id UUID REFERENCES gold_clusters(id),
    source VARCHAR(50) NOT NULL DEFAULT 'ANIF_REGISTRY',
    last_verified_at TIMESTAMPTZ,
    created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW()
);

CREATE INDEX idx_ouai_tenant ON gold_ouai_registry(tenant_id, county);
CREATE INDEX idx_ouai_location ON gold_ouai_registry USING GIST (location);

CREATE TABLE gold_cooperatives (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id UUID NOT NULL REFERENCES tenants(id),

    cooperative_name VARCHAR(200) NOT NULL,
    cooperative_type VARCHAR(50) NOT NULL,
    cui VARCHAR(20),
    county VARCHAR(50),
    locality VARCHAR(100),
    location GEOGRAPHY(POINT, 4326),

    member_count INTEGER,
    main_crops JSONB DEFAULT '[]',
    annual_turnover DECIMAL(15,2),
    is_formal BOOLEAN NOT NULL DEFAULT TRUE,

    cluster_id UUID REFERENCES gold_clusters(id),
    source VARCHAR(50) NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW()
);

CREATE INDEX idx_cooperatives_tenant ON gold_cooperatives(tenant_id, county);
CREATE INDEX idx_cooperatives_location ON gold_cooperatives USING GIST (location);

CREATE TABLE gold_affiliations (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id UUID NOT NULL REFERENCES tenants(id),
    client_id UUID NOT NULL REFERENCES gold_clients(id),

    organization_type VARCHAR(30) NOT NULL
        CHECK (organization_type IN ('ASSOCIATION', 'OUAI', 'COOPERATIVE')),
    organization_id UUID NOT NULL,
    relation_type relation_type_enum NOT NULL DEFAULT 'MEMBER_OF',
    member_role VARCHAR(50),

    member_since DATE,
    member_until DATE,
    evidence_source VARCHAR(50) NOT NULL,
    confidence_score DECIMAL(5,2),

    is_active BOOLEAN DEFAULT TRUE,
    created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW()
);

CREATE UNIQUE INDEX idx_affiliations_unique
    ON gold_affiliations(tenant_id, client_id, organization_type, organization_id)
    WHERE is_active = TRUE;
CREATE INDEX idx_affiliations_org ON gold_affiliations(organization_id);
