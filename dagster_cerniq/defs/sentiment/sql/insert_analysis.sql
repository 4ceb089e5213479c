insert into gold_sentiment_analysis (
    tenant_id, source_type, source_id, client_id, original_text, cleaned_text, language,
    sentiment_label, sentiment_score, confidence, emotions, dominant_emotion, intents,
    primary_intent, topics, mentioned_products, mentioned_competitors, churn_indicators,
    churn_signal_strength, model_name, model_version, processing_time_ms, source_created_at
)
values (
    %(tenant_id)s, 'MESSAGE', %(message_id)s, %(client_id)s, %(text)s, %(cleaned)s, 'ro',
    %(label)s, %(score)s, %(confidence)s, %(emotions)s, %(dominant)s, %(intents)s,
    %(primary_intent)s, %(topics)s, %(products)s, %(competitors)s, %(indicators)s,
    %(strength)s, %(model_name)s, %(model_version)s, %(processing_ms)s, %(sent_at)s
)
on conflict (tenant_id, source_type, source_id) do nothing
returning id
