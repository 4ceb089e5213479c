with source as (
    select * from {{ source('nurturing', 'gold_competitor_intel') }}
),

renamed as (
    select
        id as competitor_mention_id,
        tenant_id,
        client_id,
        competitor_name,
        competitor_normalized,
        source_type,
        source_id,
        context_text,
        mention_sentiment,
        price_mentioned,
        mentioned_at
    from source
)

select * from renamed
