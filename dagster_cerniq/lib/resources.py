"""Dagster resources, configured from the environment when a run starts, never at import."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
from dagster import ConfigurableResource

from dagster_cerniq.ops.database import connect, database_url, validate_url


class CerniqDatabase(ConfigurableResource):
    """The PostgreSQL of the run: `url` if given, else CERNIQ_DATABASE_URL, else embedded."""

    url: str | None = None

    def conninfo(self) -> str:
        return validate_url(self.url) if self.url else database_url()

    @contextmanager
    def transaction(self, application_name: str | None = None) -> Iterator[psycopg.Connection]:
        """One connection, one transaction: committed on success, rolled back on error.
        `application_name`: what pg_stat_activity shows for it (default `cerniq`)."""
        with connect(self.conninfo(), application_name=application_name) as conn, \
                conn.transaction():  # fmt: skip
            yield conn
