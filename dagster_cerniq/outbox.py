"""Outgoing client messages (NPS surveys, onboarding content, referral requests) leave through a
channel adapter. The one shipped is the outbox: rows in cerniq_outbox, written in the step's
own transaction, that the Cerniq app's messaging service delivers by e-mail, WhatsApp or SMS.
No provider is called from here, so a rerun or a failed run never sends anything twice."""

from uuid import UUID

import psycopg
from dagster import ConfigurableResource
from psycopg import sql

# What a step hands to a channel: a query selecting these columns, one row per message.
MESSAGE_COLUMNS = (
    "tenant_id",
    "client_id",
    "channel",
    "message_type",
    "subject",
    "payload",
    "source_table",
    "source_id",
)


class ChannelAdapter(ConfigurableResource):
    """Delivers messages to clients; a provider-backed adapter subclasses this."""

    def deliver(
        self, conn: psycopg.Connection, messages: sql.Composable, params: dict[str, object]
    ) -> list[UUID]:
        """Hand over the messages `messages` selects (MESSAGE_COLUMNS); return the source ids
        of those accepted, which `send` then marks as sent."""
        raise NotImplementedError(f"{type(self).__name__} does not deliver messages")

    def send(
        self,
        conn: psycopg.Connection,
        messages: sql.Composable,
        mark_sent: str,
        params: dict[str, object],
    ) -> int:
        """Deliver the messages, then run `mark_sent` (reading `%(sent)s`, the accepted source
        ids) in the same transaction; return how many were accepted."""
        sent = self.deliver(conn, messages, params)
        conn.execute(mark_sent, {**params, "sent": sent})
        return len(sent)


class OutboxChannel(ChannelAdapter):
    """Enqueues into cerniq_outbox, once per source row; accepted as soon as it is enqueued."""

    def deliver(
        self, conn: psycopg.Connection, messages: sql.Composable, params: dict[str, object]
    ) -> list[UUID]:
        columns = sql.SQL(", ").join(map(sql.Identifier, MESSAGE_COLUMNS))
        query = sql.SQL(
            """
            with messages as ({messages})
            insert into cerniq_outbox ({columns}, enqueued_at)
            select {columns}, %(logical_time)s from messages
            -- Already enqueued (an earlier attempt of the same step): accepted, not duplicated.
            on conflict (source_table, source_id) do update set source_id = excluded.source_id
            returning source_id
            """
        ).format(messages=messages, columns=columns)
        return [source_id for (source_id,) in conn.execute(query, params)]
