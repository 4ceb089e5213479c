"""Writing generated tables into PostgreSQL with COPY."""

from __future__ import annotations

import uuid
from collections.abc import Iterable

import psycopg
from psycopg import sql

from dagster_cerniq.synthetic.generator import TableRows


def existing_tenants(conn: psycopg.Connection, tenant_ids: Iterable[uuid.UUID]) -> list[uuid.UUID]:
    """Those of `tenant_ids` that already have a row in `tenants`."""
    rows = conn.execute(
        "select id from tenants where id = any(%s) order by id", [list(tenant_ids)]
    ).fetchall()
    return [row[0] for row in rows]


def copy_tables(conn: psycopg.Connection, tables: Iterable[TableRows]) -> None:
    """COPY each table's rows, in the given (foreign-key) order, in the current transaction."""
    with conn.cursor() as cursor:
        for table in tables:
            if table.rows == 0:
                continue
            statement = sql.SQL("copy {} ({}) from stdin").format(
                sql.Identifier(table.table),
                sql.SQL(", ").join(sql.Identifier(column) for column in table.columns),
            )
            with cursor.copy(statement) as copy:
                copy.write(table.payload)
