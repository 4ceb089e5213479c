-- migrations/20260119_005_create_cluster_tables.sql
-- Designed here (SPEC §1.2): the geographic and behavioural grouping of clients that the
-- neighbour strategy and group deals of later workers read.

CREATE TABLE gold_proximity_scores (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id UUID NOT NULL REFERENCES tenants(id),
    client_a_id UUID NOT NULL REFERENCES gold_clients(id),
    client_b_id UUID NOT NULL REFERENCES gold_clients(id),

    distance_meters DECIMAL(15,2) NOT NULL,
    same_county BOOLEAN DEFAULT FALSE,
    same_locality BOOLEAN DEFAULT FALSE,
    shared_crops JSONB DEFAULT '[]',
    proximity_score DECIMAL(5,2) NOT NULL CHECK (proximity_score BETWEEN 0 AND 100),

    computed_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    CHECK (client_a_id < client_b_id)
);

CREATE UNIQUE INDEX idx_proximity_pair ON gold_proximity_scores(tenant_id, client_a_id, client_b_id);
CREATE INDEX idx_proximity_score ON gold_proximity_scores(tenant_id, proximity_score DESC);

CREATE TABLE gold_clusters (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id UUID NOT NULL REFERENCES tenants(id),

    cluster_type cluster_type_enum NOT NULL,
    cluster_name VARCHAR(200) NOT NULL,
    description TEXT,

    center_location GEOGRAPHY(POINT, 4326),
    radius_km DECIMAL(10,2),
    county VARCHAR(50),

    member_count INTEGER DEFAULT 0,
    advocate_count INTEGER DEFAULT 0,
    total_revenue DECIMAL(15,2) DEFAULT 0,
    penetration_rate DECIMAL(5,2),

    leader_client_id UUID REFERENCES gold_clients(id),
    detection_method VARCHAR(50) NOT NULL,
    detection_params JSONB DEFAULT '{}',

    is_active BOOLEAN DEFAULT TRUE,
    created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW()
);

CREATE INDEX idx_clusters_tenant ON gold_clusters(tenant_id, cluster_type) WHERE is_active = TRUE;
CREATE INDEX idx_clusters_center ON gold_clusters USING GIST (center_location);

CREATE TABLE gold_cluster_members (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id UUID NOT NULL REFERENCES tenants(id),
    cluster_id UUID NOT NULL REFERENCES gold_clusters(id),
    client_id UUID NOT NULL REFERENCES gold_clients(id),

    member_role VARCHAR(30) NOT NULL DEFAULT 'MEMBER',
    distance_to_center_km DECIMAL(10,2),
    influence_score DECIMAL(5,2),

    joined_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    left_at TIMESTAMPTZ,
    created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW()
);

CREATE UNIQUE INDEX idx_cluster_members_unique ON gold_cluster_members(cluster_id, client_id) WHERE left_at IS NULL;
CREATE INDEX idx_cluster_members_client ON gold_cluster_members(tenant_id, client_id);
