{{ config(indexes=[
    {'columns': ['tenant_id', 'client_id', 'signal_type', 'evidence_source_id'], 'unique': true}
]) }}

-- B9: every churn signal whose condition holds at the as-of date, for clients with a completed
-- order, with its strength, weight and confidence from seeds/churn_signal_rules.csv. A signal a
-- person resolved (a resolution the pipeline does not write) is kept but not active.
-- is_from_message_analysis: the signal is read from its message's sentiment analysis (the
-- analysis links to it, seed B12 step 3); COMMUNICATION_FADE is keyed by a message too, but
-- says the client fell silent after it.
with detections as (
    select
        *,
        true as is_from_message_analysis
    from {{ ref('int_churn_signals__messages') }}
    where {{ tenant_filter('tenant_id') }}
    union all
    select
        *,
        false as is_from_message_analysis
    from {{ ref('int_churn_signals__payments') }}
    where {{ tenant_filter('tenant_id') }}
    union all
    select
        *,
        false as is_from_message_analysis
    from {{ ref('int_churn_signals__support') }}
    where {{ tenant_filter('tenant_id') }}
    union all
    select
        *,
        false as is_from_message_analysis
    from {{ ref('int_churn_signals__order_frequency') }}
    where {{ tenant_filter('tenant_id') }}
    union all
    select
        *,
        false as is_from_message_analysis
    from {{ ref('int_churn_signals__communication_fade') }}
    where {{ tenant_filter('tenant_id') }}
),

client_orders as (
    select * from {{ ref('int_client_orders') }}
    where {{ tenant_filter('tenant_id') }}
),

rules as (
    select * from {{ ref('churn_signal_rules') }}
),

resolutions as (
    select * from {{ ref('stg_cerniq__churn_signal_resolutions') }}
),

resolved_by_people as (
    select distinct
        tenant_id,
        client_id,
        signal_type,
        evidence_source_id
    from resolutions
    where
        {{ tenant_filter('tenant_id') }}
        and is_resolved
        and coalesce(resolution_type, '') not in (select rules.cleared_resolution from rules)
),

stored_active as (
    select
        tenant_id,
        client_id,
        signal_type,
        evidence_source_id,
        strength
    from resolutions
    where {{ tenant_filter('tenant_id') }} and not is_resolved
),

candidates as (
    select
        detections.tenant_id,
        detections.client_id,
        {{ signal_key('detections.client_id', 'detections.signal_type', 'detections.evidence_source_id') }}
            as signal_key,
        detections.signal_type,
        rules.signal_category,
        detections.evidence_source_type,
        detections.evidence_source_id,
        {{ signal_strength('rules', 'detections.measure') }} as strength,
        rules.confidence,
        rules.weight,
        detections.measure,
        detections.evidence_text,
        detections.evidence_details,
        detections.evidence_at,
        detections.is_from_message_analysis,
        resolved_by_people.client_id is null as is_active
    from detections
    inner join client_orders
        on
            detections.tenant_id = client_orders.tenant_id
            and detections.client_id = client_orders.client_id
    inner join rules
        on detections.signal_type = rules.signal_type
    left join resolved_by_people
        on
            detections.tenant_id = resolved_by_people.tenant_id
            and detections.client_id = resolved_by_people.client_id
            and detections.signal_type = resolved_by_people.signal_type
            and detections.evidence_source_id = resolved_by_people.evidence_source_id
),

final as (
    select
        candidates.*,
        -- How the strength moved since the stored detection (gold_churn_signals.trend_direction).
        case
            when stored_active.strength is null then 'NEW'
            when candidates.strength > stored_active.strength then 'INCREASING'
            when candidates.strength < stored_active.strength then 'DECREASING'
            else 'STABLE'
        end as trend_direction
    from candidates
    left join stored_active
        on
            candidates.tenant_id = stored_active.tenant_id
            and candidates.client_id = stored_active.client_id
            and candidates.signal_type = stored_active.signal_type
            and candidates.evidence_source_id = stored_active.evidence_source_id
)

select * from final
