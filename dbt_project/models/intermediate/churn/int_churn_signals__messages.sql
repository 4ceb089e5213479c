{{ config(indexes=[{'columns': ['tenant_id', 'client_id']}]) }}

-- B9 on analysed inbound messages within the lookback window: COMPETITOR_MENTION,
-- PRICE_COMPLAINT, NEGATIVE_SENTIMENT (measure |score|) and QUALITY_COMPLAINT.
with messages as (
    select * from {{ ref('stg_cerniq__client_messages') }}
),

analyses as (
    select * from {{ ref('stg_nurturing__sentiment_analysis') }}
),

recent_inbound as (
    select
        tenant_id,
        client_id,
        message_id,
        body,
        sent_at
    from messages
    where
        {{ tenant_filter('tenant_id') }}
        and direction = 'INBOUND'
        and {{ seen_as_of('sent_at') }}
        and {{ days_before_as_of('sent_at') }} <= {{ var('message_signal_lookback_days') }}
),

-- The latest analysis of each recent message only: sorting every analysis ever made to pick
-- the latest would cost more than the whole window.
analysed_messages as (
    select distinct on (recent_inbound.tenant_id, recent_inbound.message_id)
        recent_inbound.tenant_id,
        recent_inbound.client_id,
        recent_inbound.message_id,
        recent_inbound.body,
        recent_inbound.sent_at,
        analyses.sentiment_label,
        analyses.sentiment_score,
        analyses.topics,
        analyses.mentioned_competitors
    from recent_inbound
    inner join analyses
        on
            recent_inbound.tenant_id = analyses.tenant_id
            and recent_inbound.message_id = analyses.source_id
            and analyses.source_type = 'MESSAGE'
    order by
        recent_inbound.tenant_id asc,
        recent_inbound.message_id asc,
        analyses.analyzed_at desc,
        analyses.sentiment_analysis_id desc
),

detections as (
    select
        analysed_messages.*,
        'COMPETITOR_MENTION' as signal_type,
        0 as measure
    from analysed_messages
    where {{ is_nonempty_array('mentioned_competitors') }}

    union all

    select
        analysed_messages.*,
        'PRICE_COMPLAINT' as signal_type,
        0 as measure
    from analysed_messages
    where topics @> '["PRICE_HIGH"]'::jsonb

    union all

    select
        analysed_messages.*,
        'NEGATIVE_SENTIMENT' as signal_type,
        abs(coalesce(sentiment_score, 0)) as measure
    from analysed_messages
    where sentiment_label = 'NEGATIVE'

    union all

    select
        analysed_messages.*,
        'QUALITY_COMPLAINT' as signal_type,
        0 as measure
    from analysed_messages
    where topics @> '["QUALITY_ISSUE"]'::jsonb
),

final as (
    select
        tenant_id,
        client_id,
        signal_type,
        'MESSAGE' as evidence_source_type,
        message_id as evidence_source_id,
        measure::numeric as measure,
        left(body, 500) as evidence_text,
        jsonb_build_object(
            'sentiment_label', sentiment_label,
            'sentiment_score', sentiment_score,
            'topics', topics,
            'mentioned_competitors', mentioned_competitors
        ) as evidence_details,
        sent_at as evidence_at
    from detections
)

select * from final
