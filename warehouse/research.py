"""The research questions in ``warehouse/queries/*.sql`` (the first comment line is the question)."""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from typing import Any

import duckdb


@dataclass(frozen=True, slots=True)
class Query:
    name: str
    question: str
    sql: str


def all_queries() -> list[Query]:
    out = []
    for entry in sorted(resources.files("warehouse").joinpath("queries").iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".sql"):
            sql = entry.read_text(encoding="utf-8")
            first = next((l for l in sql.splitlines() if l.startswith("--")), "-- ")
            out.append(Query(entry.name[:-4], first.lstrip("- ").strip(), sql))
    return out


def get(name: str) -> Query:
    for q in all_queries():
        if q.name == name:
            return q
    raise KeyError(f"no research query named {name!r} (have: {', '.join(q.name for q in all_queries())})")


def run(conn: duckdb.DuckDBPyConnection, name: str) -> tuple[list[str], list[tuple[Any, ...]]]:
    cur = conn.execute(get(name).sql)
    return [d[0] for d in cur.description], cur.fetchall()
