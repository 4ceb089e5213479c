select
    tenant_id::text,
    created_at,
    id::text
from gold_client_messages
where
    direction = 'INBOUND'
    and created_at <= now() - make_interval(secs => %(settle_seconds)s)
    and (created_at, id) > (%(t)s, %(id)s::uuid)
order by created_at, id
limit %(batch_size)s
