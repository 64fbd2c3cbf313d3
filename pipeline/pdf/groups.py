"""Group labels of a borderless table stretched over the rows they stand for (a rowspan)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from .tables import OutCell, OutTable

if TYPE_CHECKING:
    from .borderless_rows import _Row

_FIRST_ITEM = re.compile(r"^\s*(1\s*[.、．]|[(（]\s*1\s*[)）]|①)")


def extend_groups(table: OutTable, rows: list[_Row], n_labels: int, n_header: int, size: float) -> None:
    """Stretch group labels (left label columns) over the sub-label rows they stand for.

    Rows whose column ``k`` is empty but which have a sub-label further right are grouped: a
    sub-label numbered 1 starts a new group (numbering restarts in every group). A group holding
    one label gets it on all its rows; one holding several is shared by taking each label as
    vertically centred on its rows (those below its first row mirror those above), the rest
    going to the last label (top-aligned labels).
    """
    if n_labels < 2:
        return
    n_rows = len(rows)
    for k in range(n_labels - 1):
        at: dict[int, OutCell] = {}
        has_sub: set[int] = set()
        first_item: set[int] = set()
        for c in table.cells:
            for r in range(c.row0, c.row1 + 1):
                if c.col0 <= k <= c.col1 and (c.text or r not in at):
                    at[r] = c
                if k < c.col0 < n_labels and c.text:
                    has_sub.add(r)
            if c.col0 == k + 1 and _FIRST_ITEM.match(c.text):
                first_item.add(c.row0)

        def status(
            r: int, at: dict[int, OutCell] = at, has_sub: set[int] = has_sub, k: int = k
        ) -> str:  # this column's values bound
            c = at.get(r)
            if r not in has_sub:
                return "stop"  # a row with no sub-label is a leaf, not part of a group
            if c is not None and c.text:
                return "group" if c.col0 == k and c.col1 < n_labels - 1 else "stop"
            return "sub"

        r = n_header
        while r < n_rows:
            if status(r) == "stop":
                r += 1
                continue
            s = r
            while r < n_rows and status(r) != "stop":
                r += 1
            cuts = [q for q in range(s + 1, r) if q in first_item]
            bounds = [s, *cuts, r]
            for a, b in zip(bounds, bounds[1:]):
                _share(table, rows, k, a, b - 1, at, status, size)


def _share(
    table: OutTable,
    rows: list[_Row],
    k: int,
    s: int,
    e: int,
    at: dict[int, OutCell],
    status: Callable[[int], str],
    size: float,
) -> None:
    groups: list[OutCell] = []
    for q in range(s, e + 1):
        c = at.get(q)
        if status(q) == "group" and c is not None and c not in groups:
            groups.append(c)
    if not groups:
        return
    spans: list[list[Any]] = []
    top = s
    for j, g in enumerate(groups):
        nxt = groups[j + 1].row0 if j + 1 < len(groups) else e + 1
        bottom = max(g.row1, top)
        if len(groups) > 1:
            y_c = (g.box[1] + g.box[3]) / 2
            y_top = rows[top].box[3]
            for q in range(bottom, nxt):
                mid = (rows[q].box[1] + rows[q].box[3]) / 2
                if rows[q].page == rows[g.row0].page and mid >= 2 * y_c - y_top - 0.6 * size:
                    bottom = q
        spans.append([g, min(top, g.row0), bottom])
        top = bottom + 1
    spans[-1][2] = max(spans[-1][2], e)
    for g, a, b in spans:
        drop = {(q, k) for q in range(a, b + 1)}
        table.cells[:] = [
            c for c in table.cells if c is g or not ((c.row0, c.col0) in drop and c.col0 == c.col1 and not c.text)
        ]
        g.row0, g.row1 = a, max(b, g.row1)
