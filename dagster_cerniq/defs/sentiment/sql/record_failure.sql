insert into cerniq_sentiment_failures (
    tenant_id, message_id, attempts, last_error,
    is_given_up
)
values (
    %(tenant_id)s, %(message_id)s, %(attempts)s::int, %(error)s,
    %(attempts)s::int >= %(give_up)s::int
)
on conflict (tenant_id, message_id) do update set
    attempts = cerniq_sentiment_failures.attempts + excluded.attempts,
    last_error = excluded.last_error,
    is_given_up = cerniq_sentiment_failures.attempts + excluded.attempts >= %(give_up)s::int,
    last_failed_at = now()
