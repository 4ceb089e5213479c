with source as (
    select * from {{ source('nurturing', 'gold_sentiment_analysis') }}
),

renamed as (
    select
        id as sentiment_analysis_id,
        tenant_id,
        client_id,
        source_type,
        source_id,
        sentiment_label,
        sentiment_score,
        confidence,
        topics,
        mentioned_competitors,
        churn_indicators,
        model_name,
        analyzed_at
    from source
)

select * from renamed
