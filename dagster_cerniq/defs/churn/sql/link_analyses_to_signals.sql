-- Seed B12 step 3: an analysis links to the churn signal its message produced - one that
-- fct_churn_signal_candidates marks as read from the message's analysis (a COMMUNICATION_FADE
-- keyed by the same message says the client fell silent after it, and is not linked). A message
-- can produce several (a competitor named in a price complaint): the link is the strongest,
-- then the first detected. Set once: a link already made is kept, so a rerun changes nothing.
update gold_sentiment_analysis as a
set generated_churn_signal_id = produced.id
from (
    select distinct on (s.tenant_id, s.evidence_source_id)
        s.tenant_id,
        s.evidence_source_id,
        s.id
    from gold_churn_signals as s
    inner join {fct_churn_signal_candidates} as c
        on
            s.tenant_id = c.tenant_id
            and s.client_id = c.client_id
            and s.signal_type::text = c.signal_type
            and s.evidence_source_id = c.evidence_source_id
    where
        s.tenant_id = any(%(tenants)s::uuid[])
        and c.is_from_message_analysis
    order by s.tenant_id asc, s.evidence_source_id asc, s.strength desc, s.detected_at asc, s.id asc
) as produced
where
    a.tenant_id = produced.tenant_id
    and a.source_type = 'MESSAGE'
    and a.source_id = produced.evidence_source_id
    and a.generated_churn_signal_id is null
