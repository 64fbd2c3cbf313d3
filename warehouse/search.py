"""Full-text search over section texts: jieba pre-segmentation, an incremental term index, BM25 in SQL.

Chinese has no spaces, so each text is segmented with jieba's search mode (words plus their shorter
in-dictionary parts: 信息处理费 → 信息 处理 信息处理 费) into ``core.sections.tokens``; each load
writes the term counts of the sections it brings to ``core.section_terms`` (``warehouse.rows``), so the
index grows with the run, never rebuilt over the warehouse, and it is an ordinary table, the same in
a DuckDB file and in a DuckLake. Queries are segmented with jieba's precise mode and matched
conjunctively; the score is BM25 as DuckDB's fts extension computes it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import Any

import duckdb

_NOT_WORD = re.compile(r"[^\w\s]|_")  # punctuation and symbols; whitespace separates the words


@cache
def _jieba() -> Any:
    # rjieba: jieba-rs, the same dictionary and the same cuts as jieba, ~25× faster (segmenting the
    # section texts was most of a load's time with the pure-Python jieba)
    import rjieba

    return rjieba


def _join(words: Iterable[str]) -> str:
    """The words, space-separated, without punctuation or symbols (a word of only those is dropped);
    one regex over the joined text, not one per word (tens of thousands of words per report)."""
    return " ".join(_NOT_WORD.sub("", " ".join(words)).split())


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


# BM25 as DuckDB's fts extension computes it (k1 = 1.2, b = 0.75, idf = log10((N - df + 0.5) / (df + 0.5) + 1),
# conjunctive: every query term in the section), over the term counts each load writes
_SEARCH = """
WITH q AS (SELECT DISTINCT unnest(string_split(lower(?), ' ')) AS term),
qt AS (SELECT term FROM q WHERE term <> ''),
stats AS (SELECT count(DISTINCT section_id) AS n, sum(tf) / count(DISTINCT section_id) AS avgdl
          FROM core.section_terms),
hits AS (SELECT section_id, term, tf FROM core.section_terms WHERE term IN (SELECT term FROM qt)),
df AS (SELECT term, count(*) AS df FROM hits GROUP BY term),
found AS (SELECT section_id FROM hits GROUP BY section_id
          HAVING count(DISTINCT term) = (SELECT count(*) FROM qt)),
lens AS (SELECT section_id, sum(tf) AS len FROM core.section_terms
         WHERE section_id IN (SELECT section_id FROM found) GROUP BY section_id),
scores AS (SELECT h.section_id, sum(log((stats.n - df.df + 0.5) / (df.df + 0.5) + 1)
                  * (h.tf * 2.2 / (h.tf + 1.2 * (0.25 + 0.75 * lens.len / stats.avgdl)))) AS score
           FROM hits h JOIN found USING (section_id) JOIN df USING (term) JOIN lens USING (section_id), stats
           GROUP BY h.section_id)
SELECT s.report_id, s.section_key, sc.score, r.org_name, r.report_year, s.text
FROM scores sc JOIN core.sections s USING (section_id) JOIN core.reports r USING (report_id)
ORDER BY sc.score DESC, s.report_id, s.section_key LIMIT ?
"""


def _snippet(text: str, words: list[str], width: int = 40) -> str:
    flat = re.sub(r"\s+", " ", text)
    at = min((flat.find(w) for w in words if w and flat.find(w) >= 0), default=0)
    start = max(at - width // 2, 0)
    return ("…" if start else "") + flat[start : start + width] + ("…" if start + width < len(flat) else "")


def search(conn: duckdb.DuckDBPyConnection, query: str, *, limit: int = 10, lake: bool = False) -> list[Hit]:
    """Sections matching every word of ``query``, best first (``lake`` is accepted for callers of the
    time the index could not live in a DuckLake; the same SQL serves both)."""
    terms = segment_query(query)
    if not terms:
        return []
    found = conn.execute(_SEARCH, [terms, limit]).fetchall()
    words = terms.split()
    return [Hit(r[0], r[1], float(r[2]), r[3], r[4], _snippet(r[5], words)) for r in found]
