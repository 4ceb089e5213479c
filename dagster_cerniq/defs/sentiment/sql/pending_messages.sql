select
    m.id::text,
    m.tenant_id::text,
    m.client_id,
    m.body,
    m.sent_at
from gold_client_messages as m
where
    m.tenant_id = any(%(tenants)s::uuid[])
    and m.direction = 'INBOUND'
    and m.sent_at < %(logical_time)s
    and not exists (
        select 1 from gold_sentiment_analysis as a
        where a.tenant_id = m.tenant_id and a.source_type = 'MESSAGE' and a.source_id = m.id
    )
    and not exists (
        select 1 from cerniq_sentiment_failures as f
        where f.tenant_id = m.tenant_id and f.message_id = m.id and f.is_given_up
    )
order by m.tenant_id, m.sent_at, m.id
