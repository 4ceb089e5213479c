select
    message_id::text,
    attempts,
    last_error
from cerniq_sentiment_failures
where tenant_id = any(%(tenants)s::uuid[]) and is_given_up
order by message_id
limit 20
