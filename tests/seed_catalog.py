"""What seed 000 declares (tables, columns, enums, indexes), read from the seed document itself.

The tests compare a migrated database against this, so a migration that drifts from the seed's
DDL (a type, a NOT NULL, a default, an index) fails even though the files were copied.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

SEED_DOCUMENT = Path(__file__).resolve().parents[1] / "docs" / "seeds" / "000_28ccc75674ab3fe7.txt"

TYPE_NAMES = {
    "uuid": "uuid",
    "text": "text",
    "timestamptz": "timestamp with time zone",
    "integer": "integer",
    "serial": "integer",
    "boolean": "boolean",
    "jsonb": "jsonb",
    "date": "date",
    "uuid[]": "uuid[]",
}
COLUMN_LINE = re.compile(
    r"^\s*(?P<name>[a-z_]+)\s+(?P<type>[A-Za-z_]+(\([^)]*\))?(\[\])?)(?P<rest>.*?),?\s*$"
)
CONSTRAINT_WORDS = ("PRIMARY", "UNIQUE", "CHECK", "FOREIGN", "CONSTRAINT")


@dataclass(frozen=True)
class SeedColumn:
    data_type: str
    nullable: bool
    default: str | None


@dataclass(frozen=True)
class SeedIndex:
    table: str
    unique: bool
    method: str
    columns: str
    predicate: str | None


def seed_sql_blocks() -> dict[str, str]:
    """Each SQL block of the seed document, by the file name its first comment gives."""
    text = SEED_DOCUMENT.read_text(encoding="utf-8")
    blocks = {}
    for block in re.findall(r"```sql\n(.*?)```", text, re.S):
        named = re.match(r"-- (?:migrations|rollback)/(\S+)\.sql", block)
        if named:
            blocks[named.group(1)] = block
    return blocks


def _seed_ddl() -> str:
    return "\n".join(sql for name, sql in seed_sql_blocks().items() if "rollback" not in name)


def seed_enums() -> dict[str, list[str]]:
    return {
        name: re.findall(r"'([A-Z_]+)'", body)
        for name, body in re.findall(r"CREATE TYPE (\w+) AS ENUM \((.*?)\);", _seed_ddl(), re.S)
    }


def seed_tables() -> dict[str, dict[str, SeedColumn]]:
    tables = {}
    for name, body in re.findall(r"CREATE TABLE (\w+) \((.*?)\n\);", _seed_ddl(), re.S):
        columns = {}
        for line in body.splitlines():
            match = COLUMN_LINE.match(line)
            if not match or match.group("name").upper() in CONSTRAINT_WORDS:
                continue
            columns[match.group("name")] = _column(match.group("type"), match.group("rest"))
        tables[name] = columns
    return tables


def _column(declared_type: str, rest: str) -> SeedColumn:
    lowered = declared_type.lower().replace(" ", "")
    if lowered.startswith("varchar"):
        data_type = "character varying" + lowered[len("varchar") :]
    elif lowered.startswith("decimal"):
        data_type = "numeric" + lowered[len("decimal") :]
    elif lowered.startswith("geography"):
        data_type = "geography(Point,4326)"
    else:
        data_type = TYPE_NAMES.get(lowered, lowered)
    default = re.search(r"DEFAULT\s+('[^']*'|[\w.]+\(\)|[\w.]+)", rest)
    default_text = default.group(1) if default else None
    if lowered == "serial":
        default_text = "nextval"
    return SeedColumn(
        data_type=data_type,
        nullable="NOT NULL" not in rest and "PRIMARY KEY" not in rest and lowered != "serial",
        default=normalize_default(default_text),
    )


def seed_indexes() -> dict[str, SeedIndex]:
    pattern = re.compile(
        r"CREATE (UNIQUE )?INDEX (\w+)\s+ON (\w+)\s*(?:USING (\w+)\s*)?"
        r"\((.*?)\)\s*(?:WHERE (.*?))?;",
        re.S,
    )
    return {
        name: SeedIndex(
            table=table,
            unique=bool(unique),
            method=(method or "btree").lower(),
            columns=normalize_sql(columns),
            predicate=normalize_sql(predicate) if predicate else None,
        )
        for unique, name, table, method, columns, predicate in pattern.findall(_seed_ddl())
    }


def normalize_default(default: str | None) -> str | None:
    """Defaults as comparable text: casts, case and quoting of literals removed."""
    if default is None:
        return None
    text = re.sub(r"::[\w ]+(\(\d+(,\d+)?\))?(\[\])?", "", default).lower()
    if text.startswith("nextval("):
        return "nextval"
    return text


def normalize_sql(text: str) -> str:
    """Index column lists and predicates with PostgreSQL's casts, parentheses and case removed."""
    uncast = re.sub(r"::[\w ]+?(?=[)\s,]|$)", "", text)
    return re.sub(r"[()\s]+", " ", uncast).strip().lower()
