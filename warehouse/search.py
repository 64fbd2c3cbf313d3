"""Full-text search over section texts: jieba pre-segmentation, then DuckDB ``fts`` (BM25).

DuckDB's fts tokenizer splits on whitespace and a regex; Chinese has no spaces, so each text is
segmented with jieba's search mode (words plus their shorter in-dictionary parts: 信息处理费 →
信息 处理 信息处理 费) into ``core.sections.tokens``. Queries are segmented with jieba's precise mode
and matched conjunctively. In a DuckDB file the index lives in schema ``fts_core_sections`` and is
rebuilt after each load; DuckLake cannot hold fts tables, so there the index is built in memory per
search.
"""
from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from typing import Any
from dataclasses import dataclass
from functools import cache

import duckdb

from warehouse.connect import load_extension

INDEX_SCHEMA = "fts_core_sections"
_IGNORE = r"[\s\p{P}\p{S}]+"
_PUNCT = re.compile(r"[\s\W_]+", re.UNICODE)


@cache
def _jieba() -> Any:  # the jieba module (it ships no type information)
    import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    return jieba


def _join(words: Iterable[str]) -> str:
    return " ".join(w for w in (_PUNCT.sub("", w) for w in words) if w)


def segment_for_index(text: str) -> str:
    return _join(_jieba().cut_for_search(text))


def segment_query(text: str) -> str:
    return _join(_jieba().cut(text))


@dataclass(frozen=True, slots=True)
class Hit:
    report_id: str
    section_key: str
    score: float
    org_name: str | None
    report_year: int | None
    snippet: str


def _create_index(conn: duckdb.DuckDBPyConnection, table: str) -> None:
    load_extension(conn, "fts")
    conn.execute(f"PRAGMA create_fts_index('{table}', 'section_id', 'tokens', stemmer='none', "
                 f"stopwords='none', ignore='{_IGNORE}', strip_accents=0, lower=1, overwrite=1)")


def rebuild_index(conn: duckdb.DuckDBPyConnection) -> None:
    """Rebuild the persistent index of ``core.sections`` (DuckDB file warehouses)."""
    _create_index(conn, "core.sections")


def _snippet(text: str, words: list[str], width: int = 40) -> str:
    flat = re.sub(r"\s+", " ", text)
    at = min((flat.find(w) for w in words if w and flat.find(w) >= 0), default=0)
    start = max(at - width // 2, 0)
    return ("…" if start else "") + flat[start:start + width] + ("…" if start + width < len(flat) else "")


def search(conn: duckdb.DuckDBPyConnection, query: str, *, limit: int = 10, lake: bool = False) -> list[Hit]:
    """Sections matching every word of ``query``, best first."""
    terms = segment_query(query)
    if not terms:
        return []
    if lake:
        mem = duckdb.connect()
        load_extension(mem, "fts")
        rows = conn.execute("SELECT s.section_id, s.report_id, s.section_key, s.text, s.tokens, r.org_name, "
                            "r.report_year FROM core.sections s JOIN core.reports r USING (report_id)").arrow()
        mem.register("_sections", rows)
        mem.execute("CREATE TABLE sections AS SELECT * FROM _sections")
        _create_index(mem, "sections")
        sql = ("SELECT report_id, section_key, score, org_name, report_year, text FROM ("
               "SELECT *, fts_main_sections.match_bm25(section_id, ?, conjunctive := 1) AS score FROM sections"
               ") WHERE score IS NOT NULL ORDER BY score DESC, report_id, section_key LIMIT ?")
        found = mem.execute(sql, [terms, limit]).fetchall()
        mem.close()
    else:
        row = conn.execute("SELECT count(*) FROM duckdb_schemas() WHERE schema_name = ?", [INDEX_SCHEMA]).fetchone()
        if not (row and row[0]):
            return []
        load_extension(conn, "fts")
        sql = ("SELECT s.report_id, s.section_key, s.score, r.org_name, r.report_year, s.text FROM ("
               f"SELECT *, {INDEX_SCHEMA}.match_bm25(section_id, ?, conjunctive := 1) AS score FROM core.sections"
               ") s JOIN core.reports r USING (report_id) WHERE s.score IS NOT NULL "
               "ORDER BY s.score DESC, s.report_id, s.section_key LIMIT ?")
        found = conn.execute(sql, [terms, limit]).fetchall()
    words = terms.split()
    return [Hit(r[0], r[1], float(r[2]), r[3], r[4], _snippet(r[5], words)) for r in found]
