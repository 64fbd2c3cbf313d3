"""Numbered SQL migrations (``warehouse/migrations/NNN_name.sql``) recorded in ``schema_migrations``."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from importlib import resources

import duckdb

from warehouse import reference
from warehouse.transact import in_transaction

_NAME = re.compile(r"^(\d{3})_([a-z0-9_]+)\.sql$")


@dataclass(frozen=True, slots=True)
class Migration:
    version: int
    name: str
    sql: str

    @property
    def checksum(self) -> str:
        return hashlib.sha256(self.sql.encode()).hexdigest()[:16]


def migrations() -> list[Migration]:
    out = []
    for entry in resources.files("warehouse").joinpath("migrations").iterdir():
        m = _NAME.match(entry.name)
        if m:
            out.append(Migration(int(m.group(1)), m.group(2), entry.read_text(encoding="utf-8")))
    out.sort(key=lambda m: m.version)
    versions = [m.version for m in out]
    if len(set(versions)) != len(versions):
        raise RuntimeError(f"two migrations share a number: {versions}")
    return out


def _applied(conn: duckdb.DuckDBPyConnection) -> dict[int, str]:
    return dict(conn.execute("SELECT version, checksum FROM schema_migrations").fetchall())


def ensure_schema(conn: duckdb.DuckDBPyConnection) -> list[int]:
    """Apply pending migrations and refresh reference data; returns the versions applied now."""
    in_transaction(
        conn,
        lambda c: c.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER, name VARCHAR, checksum VARCHAR, "
            "applied_at TIMESTAMPTZ)"
        ),
    )

    def step(c: duckdb.DuckDBPyConnection) -> list[int]:
        done = _applied(c)
        now = []
        for m in migrations():
            if m.version in done:
                if done[m.version] != m.checksum:
                    raise RuntimeError(
                        f"migration {m.version:03d}_{m.name} changed after it was applied; add a new migration instead"
                    )
                continue
            c.execute(m.sql)
            c.execute("INSERT INTO schema_migrations VALUES (?, ?, ?, now())", [m.version, m.name, m.checksum])
            now.append(m.version)
        reference.refresh(c)
        return now

    applied, _ = in_transaction(conn, step)
    return applied


def current_version(conn: duckdb.DuckDBPyConnection) -> int | None:
    try:
        row = conn.execute("SELECT max(version) FROM schema_migrations").fetchone()
    except duckdb.CatalogException:
        return None
    return int(row[0]) if row is not None and row[0] is not None else None
