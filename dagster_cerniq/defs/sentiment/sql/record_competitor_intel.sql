-- Every analysis of the run's tenants naming a competitor, whoever wrote it (this step or the
-- Cerniq app), has its mentions in gold_competitor_intel: one row per source and competitor,
-- the name folded as the analyzer folds it (case and diacritics: migration 019), all added
-- together once. Only analyses with no intel row yet are read (idx_sentiment_naming_competitors,
-- anti-join on the source), so a run costs what is new, not the history; a rerun adds nothing.
-- Elements that are not a non-empty string, and a mentioned_competitors that is not an array,
-- name no competitor.
with new_analyses as (
    select a.*
    from gold_sentiment_analysis as a
    where
        a.tenant_id = any(%(tenants)s::uuid[])
        and jsonb_typeof(a.mentioned_competitors) = 'array'
        and a.mentioned_competitors <> '[]'::jsonb
        and not exists (
            select 1
            from gold_competitor_intel as i
            where
                i.tenant_id = a.tenant_id
                and i.source_type = a.source_type
                and i.source_id = a.source_id
        )
),

elements as (
    select
        new_analyses.*,
        jsonb_array_elements(new_analyses.mentioned_competitors) as element
    from new_analyses
),

mentions as (
    select
        elements.*,
        btrim(jsonb_build_array(elements.element) ->> 0) as competitor_name
    from elements
    where jsonb_typeof(elements.element) = 'string'
),

named as (
    select
        mentions.*,
        lower(unaccent(mentions.competitor_name)) as competitor_normalized
    from mentions
    where mentions.competitor_name <> ''
)

insert into gold_competitor_intel (
    tenant_id, client_id, competitor_name, competitor_normalized, source_type, source_id,
    sentiment_analysis_id, context_text, mention_sentiment, mentioned_products,
    price_mentioned, mentioned_at
)
-- One analysis per source (idx_sentiment_source): of two spellings of one competitor in it,
-- the first name in sort order is kept.
select distinct on (m.tenant_id, m.source_type, m.source_id, m.competitor_normalized)
    m.tenant_id,
    m.client_id,
    m.competitor_name,
    m.competitor_normalized,
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
from named as m
order by
    m.tenant_id asc, m.source_type asc, m.source_id asc, m.competitor_normalized asc,
    m.competitor_name asc
on conflict (tenant_id, source_type, source_id, competitor_normalized) do nothing
