select
    tenant_id::text,
    updated_at,
    id::text
from gold_orders
where
    cerniq_order_is_completed(status, delivered_at)
    and updated_at <= now() - make_interval(secs => %(settle_seconds)s)
    and (updated_at, id) > (%(t)s, %(id)s::uuid)
order by updated_at, id
limit %(batch_size)s
