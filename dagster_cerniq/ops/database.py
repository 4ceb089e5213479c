"""Which PostgreSQL every command talks to, and connecting to it with one-line errors."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlsplit

import psycopg
from psycopg.conninfo import conninfo_to_dict

from dagster_cerniq.ops.errors import CerniqError

DATABASE_URL_ENV = "CERNIQ_DATABASE_URL"
CONNECT_TIMEOUT_SECONDS = 5
APPLICATION_NAME = "cerniq"


def configured_url() -> str | None:
    """The URL of `CERNIQ_DATABASE_URL`, validated, or None when the embedded server is meant."""
    url = os.environ.get(DATABASE_URL_ENV, "").strip()
    if not url:
        return None
    return validate_url(url, source=DATABASE_URL_ENV)


def validate_url(url: str, source: str = "database URL") -> str:
    if not re.match(r"^postgres(ql)?://", url):
        raise CerniqError(
            f"malformed {source}: expected a libpq URL like "
            f"postgresql://user:password@host:5432/dbname, got {redact(url)!r}"
        )
    try:
        conninfo_to_dict(url)
        urlsplit(url).port  # noqa: B018 - raises ValueError on a port that is not a number
    except (psycopg.ProgrammingError, ValueError) as exc:
        raise CerniqError(f"malformed {source} {redact(url)!r}: {first_line(exc)}") from None
    return url


def database_url() -> str:
    """The database of this run: `CERNIQ_DATABASE_URL`, else the embedded local server."""
    from dagster_cerniq.ops.embedded import EmbeddedPostgres

    return configured_url() or EmbeddedPostgres.default().url


@contextmanager
def connect(
    url: str, autocommit: bool = False, application_name: str | None = None
) -> Iterator[psycopg.Connection]:
    """A connection to `url`, named in pg_stat_activity (`application_name`, default
    `cerniq`, unless the URL names one), so that a session blocking another is recognisable."""
    named = {}
    if "application_name" not in conninfo_to_dict(url):
        named["application_name"] = application_name or APPLICATION_NAME
    try:
        conn = psycopg.connect(
            url, autocommit=autocommit, connect_timeout=CONNECT_TIMEOUT_SECONDS, **named
        )
    except psycopg.OperationalError as exc:
        hint = ""
        if configured_url() is None:
            hint = " (is the embedded server running? try `cerniq db start`)"
        raise CerniqError(
            f"cannot connect to PostgreSQL at {redact(url)}: {first_line(exc)}{hint}"
        ) from None
    with conn:
        yield conn


def with_database(url: str, dbname: str) -> str:
    """The same server and credentials as `url`, another database."""
    return urlsplit(url)._replace(path=f"/{dbname}").geturl()


def require_postgis(conn: psycopg.Connection) -> None:
    """Fail with the fix when PostGIS is neither in this database nor installable by this role."""
    row = conn.execute(
        """
        select
            exists (select 1 from pg_extension where extname = 'postgis'),
            exists (select 1 from pg_available_extensions where name = 'postgis'),
            (select rolsuper from pg_roles where rolname = current_user),
            current_database(),
            current_user,
            current_setting('server_version_num')::int / 10000
        """
    ).fetchone()
    installed, available, superuser, dbname, role, major = row
    if installed:
        return
    if not available:
        raise CerniqError(
            f"PostGIS is not installed on the PostgreSQL {major} server of database {dbname}: "
            f"install the package postgresql-{major}-postgis-3 on that server "
            f"(Debian/Ubuntu: apt-get install postgresql-{major}-postgis-3)"
        )
    if not superuser:
        raise CerniqError(
            f"database {dbname} has no PostGIS extension and role {role} may not create it: "
            f"ask a superuser to run CREATE EXTENSION postgis in {dbname}"
        )


def redact(url: str) -> str:
    """The URL without its password, for messages."""
    return re.sub(r"(://[^:/@]+:)[^@]*@", r"\1***@", url)


def first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
