"""Layout-level helpers for the PDF tests: find a table row by its label, read its value cells."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

from pipeline import template
from pipeline.layout import Layout, Line
from pipeline.pdf.textlines import is_numeric

REPO = Path(__file__).resolve().parents[2]


def shared_dir() -> Path | None:
    """``../shared`` beside the checkout (a worktree may sit one level deeper)."""
    for base in (REPO.parent, REPO.parent.parent):
        if (base / "shared" / "corpus").is_dir():
            return base / "shared"
    return None


def norm(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split())


def table_rows(layout: Layout) -> list[Line]:
    return [ln for ln in layout.lines if ln.table is not None]


def find_row(layout: Layout, keyword: str, group: str | None = None) -> Line:
    """The one table row with a (non-copied) label cell containing ``keyword``."""
    kw = norm(keyword)
    hits = [
        ln
        for ln in table_rows(layout)
        if any(kw in norm(c.text) for c in ln.cells if not c.continued and not is_numeric(c.text))
    ]
    if group is not None:
        hits = [ln for ln in hits if any(norm(group) in norm(c.text) for c in ln.cells)]
    assert len(hits) == 1, f"{len(hits)} rows match {keyword!r}: {[ln.text for ln in hits]}"
    return hits[0]


def values(line: Line, n: int) -> list[str]:
    """The last ``n`` cells of a row (its value cells, in column order); the rest must be labels."""
    cells = sorted(line.cells, key=lambda c: (c.col, c.continued))
    assert len(cells) >= n, f"row has {len(cells)} cells, wanted {n}: {line.text}"
    assert not any(is_numeric(c.text) for c in cells[:-n]), f"a number outside the value cells: {line.text}"
    return [c.text for c in cells[-n:]]


def s3_rows(template_id: str) -> list[tuple[str, str, str | None]]:
    """(row_key, keyword, group) for every section 三 row of a template."""
    out = []
    for row in template.get(template_id).rows:
        kw, group = row.keywords[0], None
        if row.row_key == "other_misc":
            kw, group = "3.其他", "其他处理"
        out.append((row.row_key, kw, group))
    return out


def s2_rows(template_id: str = "gov2021") -> dict[str, list[str]]:
    """Section 二 row label → its cell keys in column order."""
    rows: dict[str, list[str]] = {}
    for c in template.get(template_id).cells:
        if c.section == 2:
            rows.setdefault(c.row_label, []).append(c.key)
    return rows


S3_COLS = [c.col_key for c in template.get("gov2021").cols]
S4_KEYS = [c.key for c in template.get("gov2021").cells if c.section == 4]


def s4_row(layout: Layout) -> Line:
    """The data row of the section 四 table (the last row of the table that holds 行政复议)."""
    tables = {ln.table for ln in table_rows(layout) if any("行政复议" in norm(c.text) for c in ln.cells)}
    assert len(tables) == 1, tables
    t = tables.pop()
    return max((ln for ln in table_rows(layout) if ln.table == t), key=lambda ln: ln.row)


def extract(layout: Layout, template_id: str = "gov2021") -> dict[str, str]:
    """Every gov20xx cell key → the text of its cell, found through row labels."""
    out: dict[str, str] = {}
    for label, keys in s2_rows().items():
        for k, v in zip(keys, values(find_row(layout, label), len(keys))):
            out[k] = v
    for row_key, kw, group in s3_rows(template_id):
        for col, v in zip(S3_COLS, values(find_row(layout, kw, group), len(S3_COLS))):
            out[f"s3_{row_key}__{col}"] = v
    for k, v in zip(S4_KEYS, values(s4_row(layout), len(S4_KEYS))):
        out[k] = v
    return out


def gold(name: str) -> dict:
    base = shared_dir()
    return json.loads((base / "corpus" / "gold" / f"{name}.json").read_text(encoding="utf-8"))


def as_number(text: str):
    return None if text == "" else float(text)
