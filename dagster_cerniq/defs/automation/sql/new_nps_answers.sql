select
    tenant_id::text,
    updated_at,
    id::text
from gold_nps_surveys
where
    responded_at is not null
    and score is not null
    and updated_at <= now() - make_interval(secs => %(settle_seconds)s)
    and (updated_at, id) > (%(t)s, %(id)s::uuid)
order by updated_at, id
limit %(batch_size)s
