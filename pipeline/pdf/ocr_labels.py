"""Row labels of an OCR'd section 三 table matched against the template's labels, in their order.

The labels of this table are known in advance and always come in the same order. A recogniser
that garbles one label (本年新收 read as something the interpreter takes for 上年结转) must not
move a row: the table's rows are aligned with the template's rows by a monotone alignment (each
table row to at most one template row, both in order, maximising the summed similarity of the
texts). A row whose label does not already name its aligned row is given the template's label
when the texts are similar enough, or when its neighbours are aligned to the template rows just
before and after it (its place says which row it is). Unless both hold (similar and in its
place), its value cells then get a confidence under the suspect threshold: the record says the
row may not be the one printed.
"""

from __future__ import annotations

import re
from dataclasses import replace
from difflib import SequenceMatcher
from typing import cast

from ..layout import Cell, Line
from ..normalize import squash
from .textlines import has_cjk2, is_numeric

SIMILAR = 0.6  # texts this similar are the same label
PAIR = 0.3  # below this a pair does not take part in the alignment
SUSPECT_CONF = 0.45  # under pipeline.scan.suspect.SUSPECT_BELOW
_PREFIX = re.compile(r"^[（(]?[一二三四五六七八九十\d]+[）)、.．]?")


def _core(text: str) -> str:
    """A label without its enumeration and punctuation (一、, （三）, 1.)."""
    t = _PREFIX.sub("", squash(text))
    return re.sub(r"[^\u3400-\u9fff\w]", "", t)


def _known() -> dict[str, list[tuple[str, str, tuple[str, ...]]]]:
    """Per template: (printed label, its core, its keywords) of every section 三 row, in order."""
    from .. import template as tpl

    return {
        t: [(squash(r.label), _core(r.label), tuple(_core(k) for k in r.keywords)) for r in tpl.get(t).rows]
        for t in ("gov2021", "gov2019")
    }


def _row_label(line: Line) -> Cell | None:
    """The row's own label: its rightmost label cell that is not a copy of a merged cell."""
    cells = [c for c in line.cells if has_cjk2(c.text) and not c.continued and not is_numeric(c.text)]
    return max(cells, key=lambda c: c.col if c.col is not None else -1) if cells else None


def _sim(a: str, b: str) -> float:
    return SequenceMatcher(None, a, b, autojunk=False).ratio() if a and b else 0.0


def _align(texts: list[str], labels: list[tuple[str, str, tuple[str, ...]]]) -> tuple[float, dict[int, int]]:
    """Monotone alignment of table rows to template rows maximising the summed similarity."""
    n, m = len(texts), len(labels)
    sim = [[_sim(t, lab) for _, lab, _ in labels] for t in texts]
    best = [[0.0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            take = sim[i][j] + best[i + 1][j + 1] if sim[i][j] >= PAIR else 0.0
            best[i][j] = max(take, best[i + 1][j], best[i][j + 1])
    pairs, i, j = {}, 0, 0
    while i < n and j < m:
        if sim[i][j] >= PAIR and abs(best[i][j] - (sim[i][j] + best[i + 1][j + 1])) < 1e-9:
            pairs[i] = j
            i, j = i + 1, j + 1
        elif best[i][j] == best[i + 1][j]:
            i += 1
        else:
            j += 1
    return best[0][0], pairs


def snap_labels(lines: list[Line], ocr_pages: set[int]) -> tuple[list[Line], list[str]]:
    """Lines with the garbled row labels of OCR'd section 三 tables replaced by the template's."""
    tables: dict[int, list[int]] = {}
    for k, ln in enumerate(lines):
        cell = _row_label(ln) if ln.table is not None else None
        if cell is not None and (cell.locator or {}).get("page") in ocr_pages:
            assert ln.table is not None
            tables.setdefault(ln.table, []).append(k)
    known = _known()
    out, notes = list(lines), []
    for rows in tables.values():
        texts = [_core(cast(Cell, _row_label(lines[k])).text) for k in rows]
        _, pairs, labels = max(((*_align(texts, labs), labs) for labs in known.values()), key=lambda x: x[0])
        if len([1 for i, j in pairs.items() if _sim(texts[i], labels[j][1]) >= SIMILAR]) < 5:
            continue  # not the section 三 table
        for i, j in pairs.items():
            text, label = texts[i], labels[j][1]
            if label in text or any(k and k in text for k in labels[j][2]):
                continue  # the interpreter finds this row by its own label
            placed = (i - 1 in pairs and pairs[i - 1] == j - 1) and (i + 1 in pairs and pairs[i + 1] == j + 1)
            similar = _sim(text, label) >= SIMILAR
            if not similar and not placed:
                continue
            # similar and in its place: a misread the order confirms; otherwise the values are in doubt
            out[rows[i]] = _relabel(out[rows[i]], labels[j][0], sure=similar and placed)
            page = (cast(Cell, _row_label(lines[rows[i]])).locator or {}).get("page")
            notes.append(f"page {page}: OCR'd row label {text[:16]!r} read as {label[:16]!r} (template order)")
    return out, notes


def _relabel(line: Line, label: str, sure: bool) -> Line:
    """The line with its own label replaced and, unless ``sure``, its values marked as not sure."""
    own = _row_label(line)
    cells = []
    for c in line.cells:
        if c is own:
            c = replace(c, text=label)
        elif is_numeric(c.text) and not sure:
            c = replace(c, confidence=min(c.confidence if c.confidence is not None else 1.0, SUSPECT_CONF))
        cells.append(c)
    return replace(line, cells=tuple(cells))
