-- migrations/20260119_001_create_e5_enums.sql
-- Nurturing state enum
CREATE TYPE nurturing_state_enum AS ENUM (
    'ONBOARDING',
    'NURTURING_ACTIVE',
    'AT_RISK',
    'LOYAL_CLIENT',
    'ADVOCATE',
    'CHURNED',
    'REACTIVATED'
);

-- Churn signal types
CREATE TYPE churn_signal_type_enum AS ENUM (
    'COMMUNICATION_FADE',
    'NEGATIVE_SENTIMENT',
    'COMPETITOR_MENTION',
    'SUPPORT_ESCALATION',
    'ORDER_FREQUENCY_DROP',
    'PAYMENT_DELAY',
    'PRICE_COMPLAINT',
    'QUALITY_COMPLAINT'
);

-- Referral types
CREATE TYPE referral_type_enum AS ENUM (
    'EXPLICIT',
    'SOFT_MENTION',
    'NEIGHBOR_STRATEGY',
    'GROUP_DEAL'
);

-- Referral status
CREATE TYPE referral_status_enum AS ENUM (
    'PENDING_CONSENT',
    'AWAITING_CONSENT',
    'ACTIVE',
    'CONTACTED',
    'CONVERTED',
    'REJECTED',
    'EXPIRED'
);

-- Relation types
CREATE TYPE relation_type_enum AS ENUM (
    'NEIGHBOR',
    'SAME_ASSOCIATION',
    'SHARED_SHAREHOLDER',
    'RECOMMENDED_BY',
    'SUPPLY_CHAIN',
    'FAMILY_BUSINESS',
    'BEHAVIORAL_CLUSTER',
    'MEMBER_OF'
);

-- Cluster types
CREATE TYPE cluster_type_enum AS ENUM (
    'GEOGRAPHIC',
    'BEHAVIORAL',
    'FORMAL_ASSOCIATION',
    'IMPLICIT_COOPERATIVE',
    'OUAI',
    'COOPERATIVE'
);

-- Content types
CREATE TYPE content_type_enum AS ENUM (
    'EDUCATIONAL',
    'PRODUCT_UPDATE',
    'SEASONAL_TIP',
    'SUCCESS_STORY',
    'PROMOTIONAL',
    'NPS_SURVEY',
    'REFERRAL_REQUEST'
);
