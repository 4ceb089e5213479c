-- migrations/20260119_000_create_base_tables.sql
-- The tables of earlier Cerniq stages that Etapa 5 references (SPEC §1.1), plus the event
-- tables churn detection reads. On a database where the Cerniq app already owns a table it is
-- left alone; every table created here is recorded in cerniq_e5_created_objects so that the
-- rollback drops only what this migration made and never an existing app table with its data.

CREATE EXTENSION IF NOT EXISTS postgis;

CREATE TABLE IF NOT EXISTS cerniq_e5_created_objects (
    ordinal SERIAL PRIMARY KEY,
    object_name TEXT NOT NULL UNIQUE,
    created_at TIMESTAMPTZ NOT NULL DEFAULT NOW()
);

DO $$
BEGIN
    IF to_regclass('public.tenants') IS NULL THEN
        CREATE TABLE tenants (
            id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
            name TEXT NOT NULL,
            created_at TIMESTAMPTZ NOT NULL DEFAULT NOW()
        );
        INSERT INTO cerniq_e5_created_objects (object_name) VALUES ('tenants');
    END IF;
END $$;

DO $$
BEGIN
    IF to_regclass('public.users') IS NULL THEN
        CREATE TABLE users (
            id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
            tenant_id UUID NOT NULL REFERENCES tenants(id),
            email VARCHAR(255) NOT NULL,
            full_name VARCHAR(200),
            role VARCHAR(30) NOT NULL DEFAULT 'ACCOUNT_MANAGER',
            is_active BOOLEAN NOT NULL DEFAULT TRUE,
            created_at TIMESTAMPTZ NOT NULL DEFAULT NOW()
        );
        CREATE UNIQUE INDEX idx_users_tenant_email ON users(tenant_id, email);
        INSERT INTO cerniq_e5_created_objects (object_name) VALUES ('users');
    END IF;
END $$;

DO $$
BEGIN
    IF to_regclass('public.gold_clients') IS NULL THEN
        CREATE TABLE gold_clients (
            id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
            tenant_id UUID NOT NULL REFERENCES tenants(id),
            company_name TEXT NOT NULL,
            cui VARCHAR(20),
            county VARCHAR(50),
            locality VARCHAR(100),
            location GEOGRAPHY(POINT, 4326),
            segment VARCHAR(50),
            account_manager_id UUID REFERENCES users(id),
            created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
            updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW()
        );
        CREATE INDEX idx_clients_tenant ON gold_clients(tenant_id);
        CREATE INDEX idx_clients_location ON gold_clients USING GIST (location);
        INSERT INTO cerniq_e5_created_objects (object_name) VALUES ('gold_clients');
    END IF;
END $$;

DO $$
BEGIN
    IF to_regclass('public.gold_contacts') IS NULL THEN
        CREATE TABLE gold_contacts (
            id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
            tenant_id UUID NOT NULL REFERENCES tenants(id),
            client_id UUID REFERENCES gold_clients(id),
            full_name VARCHAR(200),
            phone VARCHAR(30),
            email VARCHAR(255),
            created_at TIMESTAMPTZ NOT NULL DEFAULT NOW()
        );
        CREATE INDEX idx_contacts_client ON gold_contacts(tenant_id, client_id);
        INSERT INTO cerniq_e5_created_objects (object_name) VALUES ('gold_contacts');
    END IF;
END $$;

DO $$
BEGIN
    IF to_regclass('public.gold_orders') IS NULL THEN
        CREATE TABLE gold_orders (
            id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
            tenant_id UUID NOT NULL REFERENCES tenants(id),
            client_id UUID NOT NULL REFERENCES gold_clients(id),
            status VARCHAR(20) NOT NULL DEFAULT 'PENDING'
                CHECK (status IN ('PENDING', 'CONFIRMED', 'DELIVERED', 'CANCELLED')),
            total_value DECIMAL(15,2) NOT NULL CHECK (total_value >= 0),
            currency VARCHAR(3) NOT NULL DEFAULT 'RON',
            ordered_at TIMESTAMPTZ NOT NULL,
            delivered_at TIMESTAMPTZ,
            created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
            updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW()
        );
        CREATE INDEX idx_orders_client ON gold_orders(tenant_id, client_id, delivered_at);
        CREATE INDEX idx_orders_created ON gold_orders(created_at);
        INSERT INTO cerniq_e5_created_objects (object_name) VALUES ('gold_orders');
    END IF;
END $$;

DO $$
BEGIN
    IF to_regclass('public.gold_client_messages') IS NULL THEN
        CREATE TABLE gold_client_messages (
            id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
            tenant_id UUID NOT NULL REFERENCES tenants(id),
            client_id UUID NOT NULL REFERENCES gold_clients(id),
            direction VARCHAR(10) NOT NULL CHECK (direction IN ('INBOUND', 'OUTBOUND')),
            channel VARCHAR(20) NOT NULL
                CHECK (channel IN ('EMAIL', 'WHATSAPP', 'SMS', 'PHONE', 'WEB')),
            body TEXT NOT NULL,
            sent_at TIMESTAMPTZ NOT NULL,
            created_at TIMESTAMPTZ NOT NULL DEFAULT NOW()
        );
        CREATE INDEX idx_messages_client ON gold_client_messages(tenant_id, client_id, sent_at);
        CREATE INDEX idx_messages_created ON gold_client_messages(created_at);
        INSERT INTO cerniq_e5_created_objects (object_name) VALUES ('gold_client_messages');
    END IF;
END $$;

DO $$
BEGIN
    IF to_regclass('public.gold_invoices') IS NULL THEN
        CREATE TABLE gold_invoices (
            id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
            tenant_id UUID NOT NULL REFERENCES tenants(id),
            client_id UUID NOT NULL REFERENCES gold_clients(id),
            order_id UUID REFERENCES gold_orders(id),
            amount DECIMAL(15,2) NOT NULL CHECK (amount >= 0),
            currency VARCHAR(3) NOT NULL DEFAULT 'RON',
            issued_at TIMESTAMPTZ NOT NULL,
            due_at TIMESTAMPTZ NOT NULL,
            paid_at TIMESTAMPTZ,
            created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
            CHECK (due_at >= issued_at)
        );
        CREATE INDEX idx_invoices_client ON gold_invoices(tenant_id, client_id, due_at);
        CREATE INDEX idx_invoices_unpaid ON gold_invoices(tenant_id, due_at) WHERE paid_at IS NULL;
        INSERT INTO cerniq_e5_created_objects (object_name) VALUES ('gold_invoices');
    END IF;
END $$;

DO $$
BEGIN
    IF to_regclass('public.gold_support_tickets') IS NULL THEN
        CREATE TABLE gold_support_tickets (
            id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
            tenant_id UUID NOT NULL REFERENCES tenants(id),
            client_id UUID NOT NULL REFERENCES gold_clients(id),
            subject VARCHAR(255) NOT NULL,
            priority VARCHAR(20) NOT NULL DEFAULT 'MEDIUM'
                CHECK (priority IN ('LOW', 'MEDIUM', 'HIGH', 'URGENT')),
            opened_at TIMESTAMPTZ NOT NULL,
            closed_at TIMESTAMPTZ,
            is_escalated BOOLEAN NOT NULL DEFAULT FALSE,
            escalated_at TIMESTAMPTZ,
            created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
            CHECK (closed_at IS NULL OR closed_at >= opened_at)
        );
        CREATE INDEX idx_tickets_client ON gold_support_tickets(tenant_id, client_id);
        INSERT INTO cerniq_e5_created_objects (object_name) VALUES ('gold_support_tickets');
    END IF;
END $$;
