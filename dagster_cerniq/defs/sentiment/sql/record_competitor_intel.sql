-- Every analysis of the run's tenants naming a competitor, whoever wrote it (this step or the
-- Cerniq app), has its mentions in gold_competitor_intel: one row per source and competitor
-- (case-insensitive), added once; a rerun adds nothing. Elements that are not a non-empty
-- string, and a mentioned_competitors that is not an array, name no competitor.
with elements as (
    select
        a.*,
        jsonb_array_elements(a.mentioned_competitors) as element
    from gold_sentiment_analysis as a
    where
        a.tenant_id = any(%(tenants)s::uuid[])
        and jsonb_typeof(a.mentioned_competitors) = 'array'
),

mentions as (
    select
        elements.*,
        btrim(jsonb_build_array(elements.element) ->> 0) as competitor_name
    from elements
    where jsonb_typeof(elements.element) = 'string'
)

insert into gold_competitor_intel (
    tenant_id, client_id, competitor_name, competitor_normalized, source_type, source_id,
    sentiment_analysis_id, context_text, mention_sentiment, mentioned_products,
    price_mentioned, mentioned_at
)
select distinct on (m.tenant_id, m.source_type, m.source_id, lower(m.competitor_name))
    m.tenant_id,
    m.client_id,
    m.competitor_name,
    lower(m.competitor_name),
    m.source_type,
    m.source_id,
    m.id,
    left(m.original_text, 500),
    m.sentiment_label,
    case
        when jsonb_typeof(m.mentioned_products) = 'array' then m.mentioned_products
        else '[]'::jsonb
    end,
    coalesce(m.topics @> '["PRICE_HIGH"]'::jsonb, false),
    coalesce(m.source_created_at, m.analyzed_at)
from mentions as m
where
    m.competitor_name <> ''
    and not exists (
        select 1
        from gold_competitor_intel as i
        where
            i.tenant_id = m.tenant_id
            and i.source_type = m.source_type
            and i.source_id = m.source_id
            and i.competitor_normalized = lower(m.competitor_name)
    )
order by
    m.tenant_id asc, m.source_type asc, m.source_id asc, lower(m.competitor_name) asc,
    m.analyzed_at desc
on conflict (tenant_id, source_type, source_id, competitor_normalized) do nothing
