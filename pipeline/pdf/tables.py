"""Logical tables: ruled page segments chained across page breaks, and their rows as Layout lines.

A table continues on the next page when it is the last thing on one page, a ruled table is the
first thing on the next, and their column rulings line up. On the continuation:
- header rows that repeat the table's first rows are dropped (the header is kept once);
- a first row with text but no numbers, under a last row that has numbers, is the rest of a
  row split by the page break: its text is appended to the cells above;
- an empty merged cell at the top, under a merged cell that reaches the bottom of the previous
  page, is the same merged cell: its rows carry the label as ``continued`` copies (only a cell
  beside rows with numbers: a header cell above a page break does not reach into the body).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from ..layout import Cell, Line
from .grid import TableSegment
from .model import Box, rounded, union_box
from .rulings import cluster_positions, nearest_index
from .textlines import is_numeric

COL_TOL = 3.0  # column rulings this close on two pages are the same column (pt)
ENUM = re.compile(r"^\s*(\d+[.、．]|[(（][一二三四五六七八九十]+[)）]|[一二三四五六七八九十]+[、.．])")


@dataclass(slots=True)
class OutCell:
    """A cell of a logical table under construction (mutable builder, frozen into :class:`Cell`)."""

    row0: int
    row1: int
    col0: int
    col1: int
    text: str
    page: int
    box: Box
    conf: float | None = None

    @property
    def span(self) -> int:
        return self.col1 - self.col0 + 1


@dataclass(slots=True)
class OutTable:
    cells: list[OutCell]

    @property
    def nrows(self) -> int:
        return max((c.row1 for c in self.cells), default=-1) + 1


def continues(prev: TableSegment, nxt: TableSegment) -> bool:
    """Whether ``nxt`` (first on its page) is the rest of ``prev`` (last on the page before)."""
    if nxt.page != prev.page + 1:
        return False
    if abs(prev.xs[0] - nxt.xs[0]) > 2 * COL_TOL + 3 or abs(prev.xs[-1] - nxt.xs[-1]) > 2 * COL_TOL + 3:
        return False
    small, large = sorted((prev.xs, nxt.xs), key=len)
    matched = sum(1 for x in small if any(abs(x - p) <= COL_TOL for p in large))
    return matched >= max(2, 0.7 * len(small))


def _seg_cells(seg: TableSegment, ux: list[float]) -> list[OutCell]:
    out = []
    for c in seg.cells:
        a = nearest_index(ux, seg.xs[c.col0])
        b = nearest_index(ux, seg.xs[c.col1 + 1]) - 1
        out.append(OutCell(c.row0, c.row1, a, max(a, b), c.text, seg.page, c.box, c.conf))
    return out


def _row_key(cells: list[OutCell], r: int) -> tuple[tuple[int, int, str], ...]:
    return tuple(sorted((c.col0, c.col1, c.text) for c in cells if c.row0 == r))


def _has_number(cells: Iterable[OutCell]) -> bool:
    return any(is_numeric(c.text) for c in cells)


def build_ruled(segments: list[TableSegment]) -> OutTable:
    """One logical table from its page segments (in page order)."""
    ux = cluster_positions([x for s in segments for x in s.xs], COL_TOL)
    table: list[OutCell] = []
    for si, seg in enumerate(segments):
        cells = _seg_cells(seg, ux)
        if si == 0:
            table.extend(cells)
            continue
        first = 0
        # drop a repeated header
        while first < seg.nrows and first < len({c.row0 for c in table}):
            key = _row_key(cells, first)
            if key and key == _row_key(table, first) and not _has_number(c for c in cells if c.row0 == first):
                first += 1
            else:
                break
        last = max(c.row1 for c in table)
        covering = [c for c in table if c.row0 <= last <= c.row1]
        top = [c for c in cells if c.row0 == first]
        split_row = _is_split_row(top, covering)
        base = last if split_row else last + 1
        for c in cells:
            if c.row1 < first:
                continue  # dropped header
            r0, r1 = max(c.row0, first) - first + base, c.row1 - first + base
            if c.row0 <= first:
                match = next((o for o in covering if (o.col0, o.col1) == (c.col0, c.col1)), None)
                if split_row and match is not None:
                    if not match.text and c.text:
                        match.page, match.box, match.conf = c.page, c.box, c.conf
                    match.text = match.text + c.text
                    match.row1 = max(match.row1, r1)
                    continue
                if split_row and not c.text:
                    continue  # the lower half of a split cell with no match: nothing to add
                if (
                    not split_row
                    and match is not None
                    and not c.text
                    and match.text
                    and (match.row1 > match.row0 or c.row1 > c.row0)
                    and _in_body(match, table)
                ):
                    match.row1 = r1  # a merged cell cut by the page break
                    continue
            table.append(OutCell(r0, r1, c.col0, c.col1, c.text, c.page, c.box, c.conf))
    return OutTable(table)


def _in_body(cell: OutCell, table: list[OutCell]) -> bool:
    """A merged cell beside rows with numbers (a row label), not one of the header's cells."""
    return any(o.row0 >= cell.row0 and o.row1 <= cell.row1 and is_numeric(o.text) for o in table)


def _is_split_row(top: list[OutCell], covering: list[OutCell]) -> bool:
    texts = [c for c in top if c.text]
    if not texts or _has_number(top) or not _has_number(covering):
        return False
    for c in texts:
        if ENUM.match(c.text):
            return False
        match = next((o for o in covering if (o.col0, o.col1) == (c.col0, c.col1)), None)
        if match is None or not match.text:
            return False
    return True


def emit(table: OutTable, index: int) -> list[Line]:
    """The table's rows as Layout lines: origin cells plus ``continued`` copies of rowspans."""
    lines: list[Line] = []
    by_row: dict[int, list[tuple[OutCell, bool]]] = {}
    for c in table.cells:
        by_row.setdefault(c.row0, []).append((c, False))
        for r in range(c.row0 + 1, c.row1 + 1):
            by_row.setdefault(r, []).append((c, True))
    row_no = 0
    for r in sorted(by_row):
        entries = by_row[r]
        if all(cont for _, cont in entries):
            continue  # a grid row holding nothing new
        entries.sort(key=lambda e: e[0].col0)
        cells = tuple(
            Cell(
                c.text,
                col=c.col0,
                span=c.span,
                locator={"page": c.page, "bbox": rounded(c.box)},
                continued=cont,
                confidence=c.conf,
            )
            for c, cont in entries
        )
        own = [c for c, cont in entries if not cont]
        page = own[0].page
        box = union_box(c.box for c in own if c.page == page)
        lines.append(Line(cells, table=index, row=row_no, locator={"page": page, "bbox": rounded(box)}))
        row_no += 1
    return lines
