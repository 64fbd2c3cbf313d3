"""Helpers for the sample generator tests (independent of the code under test)."""

from __future__ import annotations

import os
import re
from fractions import Fraction
from pathlib import Path

import pytest
from lxml import html as lxml_html


def require(ok: bool, what: str) -> None:
    """A system tool or font the test needs: missing ones fail (CI installs them, see
    scripts/install-system-deps.sh) unless GONGKAI_ALLOW_MISSING_TOOLS=1 asks to skip."""
    if ok:
        return
    if os.environ.get("GONGKAI_ALLOW_MISSING_TOOLS") == "1":
        pytest.skip(f"{what} is not installed")
    pytest.fail(f"{what} is not installed: run `sh scripts/install-system-deps.sh`")


def shared_dir() -> Path | None:
    """../shared beside the repository (CI), or $GONGKAI_SHARED; None when neither exists."""
    here = Path(__file__).resolve().parents[2].parent / "shared"
    if here.is_dir():
        return here
    env = os.environ.get("GONGKAI_SHARED")
    return Path(env) if env and Path(env).is_dir() else None


def evaluate(rules, values) -> dict[str, str]:
    """pass / fail / not_assessable for every rule, with exact arithmetic."""
    out = {}
    for rule in rules:
        if any(values[k] is None for k in rule.lhs + rule.rhs):
            out[rule.id] = "not_assessable"
            continue
        lhs = sum(Fraction(str(values[k])) for k in rule.lhs)
        rhs = sum(Fraction(str(values[k])) for k in rule.rhs)
        out[rule.id] = "pass" if lhs == rhs else "fail"
    return out


def clean(text: str) -> str:
    return re.sub(r"[\s\u3000\xa0]+", "", text)


def expand_table(table) -> list[list[str]]:
    """An HTML <table> element as a grid of cell texts, merged cells repeated over their span."""
    grid: dict[tuple[int, int], str] = {}
    for r, tr in enumerate(table.xpath("./tr|./tbody/tr|./thead/tr")):
        c = 0
        for td in tr.xpath("./td|./th"):
            while (r, c) in grid:
                c += 1
            rs, cs = int(td.get("rowspan", "1")), int(td.get("colspan", "1"))
            text = clean(td.text_content())
            for i in range(rs):
                for j in range(cs):
                    grid[(r + i, c + j)] = text
            c += cs
    n_rows = max(r for r, _ in grid) + 1
    n_cols = max(c for _, c in grid) + 1
    return [[grid.get((r, c), "") for c in range(n_cols)] for r in range(n_rows)]


def span_layout(table) -> list[list[tuple[int, int]]]:
    """(rowspan, colspan) of every cell, row by row."""
    return [
        [(int(td.get("rowspan", "1")), int(td.get("colspan", "1"))) for td in tr.xpath("./td|./th")]
        for tr in table.xpath("./tr|./tbody/tr|./thead/tr")
    ]


def tables_of(html_text: str, container: str | None = None):
    doc = lxml_html.fromstring(html_text)
    root = doc.xpath(f'//div[contains(@class,"{container}")]')[0] if container else doc
    return root.xpath(".//table")


def grid_texts(grid):
    """A printed grid as rows of texts, merged cells repeated over every slot they cover."""
    out = [[""] * grid.n_cols for _ in range(grid.n_rows)]
    for c in grid.cells:
        for r in range(c.row, c.row + c.rowspan):
            for k in range(c.col, c.col + c.colspan):
                out[r][k] = clean(c.text)
    return out
