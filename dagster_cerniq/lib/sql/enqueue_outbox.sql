-- The staged outbox_messages into cerniq_outbox, once per source row. Already enqueued (an
-- earlier attempt of the same step): accepted, not duplicated.
insert into cerniq_outbox (
    tenant_id, client_id, channel, message_type, subject, payload, source_table, source_id,
    enqueued_at
)
select
    tenant_id,
    client_id,
    channel,
    message_type,
    subject,
    payload,
    source_table,
    source_id,
    %(logical_time)s
from outbox_messages
on conflict (source_table, source_id) do update set source_id = excluded.source_id
returning source_id
