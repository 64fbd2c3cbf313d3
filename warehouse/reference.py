"""Reference tables (cell and rule definitions, administrative divisions), reloaded when their inputs change."""

from __future__ import annotations

from typing import Any

import hashlib
import json
from functools import cache

import duckdb
import pyarrow as pa

from pipeline import regions
from warehouse import generated


@cache
def _tables() -> dict[str, list[dict[str, Any]]]:
    divisions = [
        {
            "adcode": d.adcode,
            "name": d.name,
            "kind": d.kind,
            "level": d.level,
            "province": d.province,
            "city": d.city,
            "county": d.county,
            "parent_adcode": d.parent,
        }
        for d in regions.divisions().values()
    ]
    return {"cell_defs": generated.cell_definitions(), "rule_defs": generated.rule_definitions(), "regions": divisions}


@cache
def _digests() -> dict[str, str]:
    """The digest of each reference table, computed once per process (every load compares them)."""
    return {name: _digest(rows) for name, rows in _tables().items()}


def _digest(rows: list[dict[str, Any]]) -> str:
    return hashlib.sha256(json.dumps(rows, ensure_ascii=False, sort_keys=True).encode()).hexdigest()


def refresh(conn: duckdb.DuckDBPyConnection) -> list[str]:
    """Reload every reference table whose digest changed; returns the names reloaded (in the caller's transaction)."""
    have = dict(conn.execute("SELECT name, digest FROM core.reference_digests").fetchall())
    reloaded = []
    for name, digest in _digests().items():
        if have.get(name) == digest:
            continue
        rows = _tables()[name]
        columns = [r[0] for r in conn.execute(f"DESCRIBE core.{name}").fetchall()]
        data = pa.Table.from_pylist([{c: row.get(c) for c in columns} for row in rows])
        conn.register("_reference_rows", data)
        try:
            conn.execute(f"DELETE FROM core.{name}")
            conn.execute(f"INSERT INTO core.{name} SELECT {', '.join(columns)} FROM _reference_rows")
        finally:
            conn.unregister("_reference_rows")
        conn.execute("DELETE FROM core.reference_digests WHERE name = ?", [name])
        conn.execute("INSERT INTO core.reference_digests VALUES (?, ?, now())", [name, digest])
        reloaded.append(name)
    return reloaded
