-- migrations/20260119_008_create_hitl_e5_tables.sql

CREATE TABLE gold_hitl_tasks_e5 (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id UUID NOT NULL REFERENCES tenants(id),
    
    task_type VARCHAR(50) NOT NULL,
    task_number SERIAL,
    
    priority VARCHAR(20) NOT NULL,
    sla_deadline TIMESTAMPTZ NOT NULL,
    sla_warning_at TIMESTAMPTZ,
    sla_status VARCHAR(20) DEFAULT 'OK',
    
    client_id UUID REFERENCES gold_clients(id),
    entity_type VARCHAR(30),
    entity_id UUID,
    
    assigned_to UUID REFERENCES users(id),
    assigned_at TIMESTAMPTZ,
    assignment_method VARCHAR(30),
    
    context JSONB NOT NULL,
    
    status VARCHAR(20) NOT NULL DEFAULT 'PENDING',
    resolution VARCHAR(50),
    resolution_notes TEXT,
    action_taken TEXT,
    resolved_by UUID REFERENCES users(id),
    resolved_at TIMESTAMPTZ,
    
    followup_scheduled BOOLEAN DEFAULT FALSE,
    followup_at TIMESTAMPTZ,
    followup_task_id UUID REFERENCES gold_hitl_tasks_e5(id),
    
    escalation_level INTEGER DEFAULT 0,
    escalated_at TIMESTAMPTZ,
    escalated_to UUID REFERENCES users(id),
    escalation_reason TEXT,
    
    correlation_id UUID,
    source_worker VARCHAR(100),
    
    created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW()
);

CREATE INDEX idx_hitl_e5_tenant_status ON gold_hitl_tasks_e5(tenant_id, status, priority);
CREATE INDEX idx_hitl_e5_assigned ON gold_hitl_tasks_e5(assigned_to, status);
CREATE INDEX idx_hitl_e5_sla ON gold_hitl_tasks_e5(sla_deadline) WHERE status = 'PENDING';
