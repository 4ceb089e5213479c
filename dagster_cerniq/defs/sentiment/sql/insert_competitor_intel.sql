insert into gold_competitor_intel (
    tenant_id, client_id, competitor_name, competitor_normalized, source_type, source_id,
    sentiment_analysis_id, context_text, mention_sentiment, mentioned_products,
    price_mentioned, mentioned_at
)
values (
    %(tenant_id)s, %(client_id)s, %(name)s::text, lower(%(name)s::text), 'MESSAGE',
    %(message_id)s,
    %(analysis_id)s, %(context)s, %(label)s, %(products)s, %(price)s, %(sent_at)s
)
on conflict (tenant_id, source_type, source_id, competitor_normalized) do nothing
