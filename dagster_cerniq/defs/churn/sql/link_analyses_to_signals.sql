-- Seed B12 step 3: an analysis links to the churn signal its message produced. A message can
-- produce several (a competitor named in a price complaint): the link is the strongest, then
-- the first detected. Set once: a link already made is kept, so a rerun changes nothing.
update gold_sentiment_analysis as a
set generated_churn_signal_id = produced.id
from (
    select distinct on (s.tenant_id, s.evidence_source_id)
        s.tenant_id,
        s.evidence_source_id,
        s.id
    from gold_churn_signals as s
    where
        s.tenant_id = any(%(tenants)s::uuid[])
        and s.evidence_source_type = 'MESSAGE'
    order by s.tenant_id asc, s.evidence_source_id asc, s.strength desc, s.detected_at asc, s.id asc
) as produced
where
    a.tenant_id = produced.tenant_id
    and a.source_type = 'MESSAGE'
    and a.source_id = produced.evidence_source_id
    and a.generated_churn_signal_id is null
