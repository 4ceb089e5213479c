-- Inbound messages not analysed yet, nor given up; a message a rule rejects (migration 013:
-- no body, or its client is another tenant's) is never analysed: the rejected_source_rows step
-- records it.
select
    m.id::text,
    m.tenant_id::text,
    m.client_id,
    m.body,
    m.sent_at
from gold_client_messages as m
left join gold_clients as c on m.client_id = c.id
where
    m.tenant_id = any(%(tenants)s::uuid[])
    and m.direction = 'INBOUND'
    and m.sent_at < %(logical_time)s
    and cerniq_message_rejection(m.tenant_id, c.tenant_id, m.body) is null
    and not exists (
        select 1 from gold_sentiment_analysis as a
        where a.tenant_id = m.tenant_id and a.source_type = 'MESSAGE' and a.source_id = m.id
    )
    and not exists (
        select 1 from cerniq_sentiment_failures as f
        where f.tenant_id = m.tenant_id and f.message_id = m.id and f.is_given_up
    )
order by m.tenant_id, m.sent_at, m.id
