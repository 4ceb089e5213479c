{{ config(indexes=[{'columns': ['tenant_id', 'mention_month', 'competitor_normalized'], 'unique': true}]) }}

-- feedback:competitor:detect - competitor mentions per tenant, month (UTC) and competitor,
-- with the clients and the quotes behind them, newest first.
with mentions as (
    select * from {{ ref('stg_nurturing__competitor_intel') }}
    where
        {{ tenant_filter('tenant_id') }}
        and {{ seen_as_of('mentioned_at') }}
),

clients as (
    select * from {{ ref('stg_cerniq__clients') }}
),

final as (
    select
        mentions.tenant_id,
        cast(date_trunc('month', {{ utc_date('mentions.mentioned_at') }}) as date) as mention_month,
        mentions.competitor_normalized,
        mode() within group (order by mentions.competitor_name) as competitor_name,
        count(*) as mention_count,
        count(distinct mentions.client_id) as client_count,
        count(*) filter (where mentions.mention_sentiment = 'NEGATIVE') as negative_mentions,
        count(*) filter (where mentions.price_mentioned) as price_mentions,
        jsonb_agg(
            jsonb_build_object(
                'client_id', mentions.client_id,
                'company_name', clients.company_name,
                'message_id', mentions.source_id,
                'mentioned_at', mentions.mentioned_at,
                'quote', mentions.context_text
            )
            order by mentions.mentioned_at desc, mentions.competitor_mention_id asc
        ) as mentions
    from mentions
    left join clients
        on
            mentions.tenant_id = clients.tenant_id
            and mentions.client_id = clients.client_id
    group by 1, 2, 3
)

select * from final
