"""Outgoing client messages (NPS surveys, onboarding content, referral requests) leave through a
channel adapter. The one shipped is the outbox: rows in cerniq_outbox, written in the step's
own transaction, that the Cerniq app's messaging service delivers by e-mail, WhatsApp or SMS.
No provider is called from here, so a rerun or a failed run never sends anything twice."""

from pathlib import Path
from uuid import UUID

import psycopg
from dagster import ConfigurableResource

from dagster_cerniq.lib.write_back import Reads, RunScope, Statement, execute, stage

# What a step hands to a channel: a statement selecting these columns, one row per message.
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
ENQUEUE_OUTBOX = Statement(Path(__file__).with_name("sql") / "enqueue_outbox.sql", Reads())


class ChannelAdapter(ConfigurableResource):
    """Delivers messages to clients; a provider-backed adapter subclasses this."""

    def deliver(self, conn: psycopg.Connection, messages: Statement, scope: RunScope) -> list[UUID]:
        """Hand over the messages `messages` selects (MESSAGE_COLUMNS); return the source ids
        of those accepted, which `send` then marks as sent."""
        raise NotImplementedError(f"{type(self).__name__} does not deliver messages")

    def send(
        self,
        conn: psycopg.Connection,
        messages: Statement,
        mark_sent: Statement,
        scope: RunScope,
    ) -> int:
        """Deliver the messages, then run `mark_sent` (reading `%(sent)s`, the accepted source
        ids) in the same transaction; return how many were accepted."""
        sent = self.deliver(conn, messages, scope)
        execute(conn, mark_sent, scope, sent=sent)
        return len(sent)


class OutboxChannel(ChannelAdapter):
    """Enqueues into cerniq_outbox, once per source row; accepted as soon as it is enqueued."""

    def deliver(self, conn: psycopg.Connection, messages: Statement, scope: RunScope) -> list[UUID]:
        stage(conn, "outbox_messages", messages, scope)
        return [source_id for (source_id,) in conn.execute(ENQUEUE_OUTBOX.compose(), scope.params)]
