{{ config(indexes=[{'columns': ['tenant_id', 'client_id'], 'unique': true}]) }}

-- B10: per client with a completed order, the seed's weighted mean over its active signals as
-- stored in gold_churn_signals after this run's detection (each signal row once), plus the
-- DAYS_INACTIVE and SATISFACTION_DECLINING factors; no terms gives 0. The risk band, whether to
-- escalate, and a per-factor breakdown.
with client_orders as (
    select * from {{ ref('int_client_orders') }}
    where {{ tenant_filter('tenant_id') }}
),

client_nps as (
    select * from {{ ref('fct_client_nps') }}
    where {{ tenant_filter('tenant_id') }}
),

stored_signals as (
    select * from {{ ref('stg_nurturing__churn_signals') }}
),

rules as (
    select * from {{ ref('churn_signal_rules') }}
),

signals as (
    select
        stored_signals.tenant_id,
        stored_signals.client_id,
        stored_signals.signal_type,
        stored_signals.evidence_source_id,
        stored_signals.strength,
        stored_signals.evidence_text,
        rules.weight
    from stored_signals
    inner join rules
        on stored_signals.signal_type = rules.signal_type
    where
        {{ tenant_filter('stored_signals.tenant_id') }}
        and not stored_signals.is_resolved
),

bands as (
    select * from {{ ref('churn_risk_bands') }}
),

states as (
    select * from {{ ref('stg_nurturing__nurturing_state') }}
    where {{ tenant_filter('tenant_id') }}
),

clients as (
    select * from {{ ref('stg_cerniq__clients') }}
    where {{ tenant_filter('tenant_id') }}
),

last_contact as (
    select * from {{ ref('int_client_last_contact') }}
    where {{ tenant_filter('tenant_id') }}
),

signal_terms as (
    select
        tenant_id,
        client_id,
        signal_type as factor,
        strength as factor_value,
        weight
    from signals
),

inactivity_terms as (
    select
        tenant_id,
        client_id,
        'DAYS_INACTIVE' as factor,
        cast(least(
            {{ var('days_inactive_max') }},
            (days_since_last_order - {{ var('days_inactive_threshold') }})
            * {{ var('days_inactive_points_per_day') }}
        ) as numeric) as factor_value,
        cast({{ var('days_inactive_weight') }} as numeric) as weight
    from client_orders
    where days_since_last_order > {{ var('days_inactive_threshold') }}
),

satisfaction_terms as (
    select
        tenant_id,
        client_id,
        'SATISFACTION_DECLINING' as factor,
        cast({{ var('satisfaction_declining_value') }} as numeric) as factor_value,
        cast({{ var('satisfaction_declining_weight') }} as numeric) as weight
    from client_nps
    where satisfaction_trend = 'DECLINING'
),

terms as (
    select * from signal_terms
    union all
    select * from inactivity_terms
    union all
    select * from satisfaction_terms
),

factors as (
    select
        tenant_id,
        client_id,
        factor,
        count(*) as term_count,
        sum(weight) as factor_weight,
        sum(factor_value * weight) as contribution
    from terms
    group by tenant_id, client_id, factor
),

weighted as (
    select
        tenant_id,
        client_id,
        sum(contribution) / nullif(sum(factor_weight), 0) as weighted_score,
        jsonb_object_agg(
            factor,
            jsonb_build_object(
                'value', round(contribution / factor_weight, 2),
                'weight', factor_weight,
                'contribution', round(contribution, 4),
                'count', term_count
            )
        ) as factor_breakdown
    from factors
    group by tenant_id, client_id
),

strongest as (
    select distinct on (tenant_id, client_id)
        tenant_id,
        client_id,
        signal_type as strongest_signal_type,
        strength as strongest_signal_strength,
        evidence_text as strongest_signal_evidence
    from signals
    order by tenant_id asc, client_id asc, strength desc, weight desc, signal_type asc, evidence_source_id asc
),

signal_counts as (
    select
        tenant_id,
        client_id,
        count(*) as active_signal_count
    from signals
    group by tenant_id, client_id
),

scored as (
    select
        client_orders.tenant_id,
        client_orders.client_id,
        round(coalesce(weighted.weighted_score, 0), 2) as churn_score,
        coalesce(weighted.factor_breakdown, '{}'::jsonb) as factor_breakdown,
        coalesce(signal_counts.active_signal_count, 0) as active_signal_count,
        strongest.strongest_signal_type,
        strongest.strongest_signal_strength,
        strongest.strongest_signal_evidence,
        client_orders.days_since_last_order,
        client_orders.orders_last_365_days,
        client_orders.orders_prior_365_days,
        clients.segment,
        last_contact.last_message_at,
        states.at_risk_since as stored_at_risk_since
    from client_orders
    left join weighted
        on
            client_orders.tenant_id = weighted.tenant_id
            and client_orders.client_id = weighted.client_id
    left join signal_counts
        on
            client_orders.tenant_id = signal_counts.tenant_id
            and client_orders.client_id = signal_counts.client_id
    left join strongest
        on
            client_orders.tenant_id = strongest.tenant_id
            and client_orders.client_id = strongest.client_id
    left join states
        on
            client_orders.tenant_id = states.tenant_id
            and client_orders.client_id = states.client_id
    left join clients
        on
            client_orders.tenant_id = clients.tenant_id
            and client_orders.client_id = clients.client_id
    left join last_contact
        on
            client_orders.tenant_id = last_contact.tenant_id
            and client_orders.client_id = last_contact.client_id
),

final as (
    select
        scored.tenant_id,
        scored.client_id,
        scored.churn_score,
        band.risk_level,
        band.is_at_risk,
        band.escalation = 'ALWAYS'
        or (band.escalation = 'ON_ENTRY' and scored.stored_at_risk_since is null) as needs_escalation,
        band.is_at_risk and scored.stored_at_risk_since is null as is_newly_at_risk,
        band.hitl_priority,
        scored.factor_breakdown,
        -- The seed's gold_churn_factors score columns: a factor's value, null without it.
        (scored.factor_breakdown -> 'COMMUNICATION_FADE' ->> 'value')::numeric as communication_score,
        (scored.factor_breakdown -> 'NEGATIVE_SENTIMENT' ->> 'value')::numeric as sentiment_score,
        (scored.factor_breakdown -> 'ORDER_FREQUENCY_DROP' ->> 'value')::numeric
            as order_frequency_score,
        (scored.factor_breakdown -> 'PAYMENT_DELAY' ->> 'value')::numeric as payment_behavior_score,
        (scored.factor_breakdown -> 'DAYS_INACTIVE' ->> 'value')::numeric as engagement_score,
        (scored.factor_breakdown -> 'SUPPORT_ESCALATION' ->> 'value')::numeric as support_score,
        scored.active_signal_count,
        scored.strongest_signal_type,
        scored.strongest_signal_strength,
        scored.strongest_signal_evidence,
        scored.days_since_last_order,
        -- The other seed columns of gold_churn_factors (SPEC §5).
        round(
            scored.churn_score
            - avg(scored.churn_score) over (partition by scored.tenant_id, scored.segment),
            2
        ) as compared_to_segment_avg,
        round(
            100.0 * (scored.orders_last_365_days - scored.orders_prior_365_days)
            / nullif(scored.orders_prior_365_days, 0),
            2
        ) as order_frequency_change,
        {{ days_before_as_of('scored.last_message_at') }} as days_since_last_contact,
        {{ logical_time() }} + interval '{{ var("churn_factors_valid_hours") }} hours'
            as valid_until
    from scored
    cross join lateral (
        select
            bands.risk_level,
            bands.is_at_risk,
            bands.escalation,
            bands.hitl_priority
        from bands
        where bands.min_score <= scored.churn_score
        order by bands.min_score desc
        limit 1
    ) as band
)

select * from final
