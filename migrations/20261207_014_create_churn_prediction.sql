-- migrations/20261207_014_create_churn_prediction.sql
-- Churn prediction and score history (SPEC §5), beside the seed's weighted score, never in its
-- place.

-- The prediction of each client with a state, as of the run's date: the calibrated probability
-- that it churns over the horizon (no completed order in (as_of, as_of + horizon]), the first
-- date at which it would more likely than not have churned with no further order, the revenue
-- at risk (its completed-order revenue over the 365 days up to as_of) and the expected loss
-- (probability x revenue at risk). Written by the asset churn_prediction; the churn_factors step
-- copies it into gold_churn_factors' seed columns and into the history below.
CREATE TABLE cerniq_churn_predictions (
    tenant_id UUID NOT NULL REFERENCES tenants (id),
    client_id UUID NOT NULL REFERENCES gold_clients (id),
    as_of DATE NOT NULL,
    horizon_days INTEGER NOT NULL CHECK (horizon_days > 0),
    churn_probability NUMERIC(6, 5) NOT NULL CHECK (churn_probability BETWEEN 0 AND 1),
    predicted_churn_date DATE,
    revenue_at_risk NUMERIC(15, 2) NOT NULL DEFAULT 0,
    expected_loss NUMERIC(15, 2) NOT NULL DEFAULT 0,
    -- TENANT: a model fitted on this tenant's history; POOLED: on every tenant's (too little).
    model_scope VARCHAR(10) NOT NULL CHECK (model_scope IN ('TENANT', 'POOLED')),
    model_name VARCHAR(100) NOT NULL,
    predicted_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (tenant_id, client_id)
);

CREATE INDEX idx_churn_predictions_loss ON cerniq_churn_predictions (tenant_id, expected_loss DESC);

-- One row per client and as-of date: the seed score, its band and breakdown, and the
-- prediction, as that date's evaluation computed them. A rerun of a date replaces its row.
CREATE TABLE gold_churn_score_history (
    tenant_id UUID NOT NULL REFERENCES tenants (id),
    client_id UUID NOT NULL REFERENCES gold_clients (id),
    as_of DATE NOT NULL,
    overall_churn_score NUMERIC(5, 2) NOT NULL,
    risk_level VARCHAR(20) NOT NULL,
    factor_breakdown JSONB NOT NULL DEFAULT '{}',
    -- The evidence behind each active signal that date: type, strength, source and text.
    evidence JSONB NOT NULL DEFAULT '[]',
    prediction_confidence NUMERIC(5, 2),
    predicted_churn_date DATE,
    recorded_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    PRIMARY KEY (tenant_id, client_id, as_of)
);

-- Year-over-year order counts can more than decuple: the seed's DECIMAL(5,2) (at most 999.99 %)
-- is too narrow for SPEC §5's order_frequency_change.
ALTER TABLE gold_churn_factors ALTER COLUMN order_frequency_change TYPE NUMERIC(8, 2);
