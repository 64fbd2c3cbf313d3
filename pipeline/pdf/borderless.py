"""Tables without rulings: where they are in the running lines of a document.

Anchors are *row lines*: lines with two or more numbers, or a label and a number apart by a
column-wide gap. Row lines close together, with only table-like lines between them (wrapped
labels, lone numbers), form a block; header lines above the first row line join it (not a
heading in larger type, not a section heading, not a full-width paragraph line); a block may run
over a page break, and a header repeated at the top of the next page is dropped. The block's
cells are then worked out by :mod:`borderless_rows`.
"""
from __future__ import annotations

import re

from .lineclass import MAX_BETWEEN, MAX_HEADER, MAX_ROW_GAP, MULTI, NUM, ROW, TEXT, Zone, close, line_kind, zone_of
from .textlines import PhysLine


def _body_ok(line: PhysLine, kind: str, zone: Zone) -> bool:
    """A line that may sit between two row lines of one table."""
    if kind == NUM:
        return True
    if zone.header_like(line):
        return False
    return zone.label_only(line) or all(zone.in_values(f) for f in line.fragments)


_HEADING = re.compile(r"^[一二三四五六七八九十]+、")


def _header_ok(line: PhysLine, kind: str, zone: Zone) -> bool:
    if kind == ROW or line.size > 1.2 * zone.size:
        return False  # a heading in larger type is not a table header
    if kind == MULTI:
        return True
    if _HEADING.match(line.text):
        return False  # a section heading
    width = line.box[2] - line.box[0]
    return zone.label_only(line) or (all(zone.in_values(f) for f in line.fragments)
                                     and width <= 0.6 * (zone.value_right - zone.value_left + 2 * zone.size))


def drop_repeated_headers(run: list[PhysLine]) -> list[PhysLine]:
    """Lines at the top of a page that repeat a table header just printed on the page before."""
    kinds = [line_kind(ln.fragments) for ln in run]

    def key(ln: PhysLine) -> str:
        return "".join(ln.text.split())

    drop: set[int] = set()
    for i in range(1, len(run)):
        if run[i].page == run[i - 1].page:
            continue
        # header lines of the previous page: up to MAX_HEADER non-row lines right above a row line
        heads: set[str] = set()
        j = i - 1
        page = run[i - 1].page
        while j >= 0 and run[j].page == page:
            if kinds[j] == ROW:
                k = j - 1
                while k >= 0 and run[k].page == page and kinds[k] != ROW and j - k <= MAX_HEADER:
                    heads.add(key(run[k]))
                    k -= 1
            j -= 1
        k = i
        while k < len(run) and run[k].page == run[i].page and kinds[k] != ROW and k - i < MAX_HEADER:
            if key(run[k]) in heads:
                drop.add(k)
            k += 1
    return [ln for i, ln in enumerate(run) if i not in drop]


def find_blocks(run: list[PhysLine]) -> list[tuple[int, int, int, int]]:
    """Table blocks in a run of lines: (start, first_row, last_row, end), inclusive indices."""
    kinds = [line_kind(ln.fragments) for ln in run]
    rows = [i for i, k in enumerate(kinds) if k == ROW]
    clusters: list[list[int]] = []
    for i in rows:
        if clusters:
            j = clusters[-1][-1]
            zone = zone_of([run[x] for x in clusters[-1]] + [run[i]])
            if (i - j - 1 <= MAX_BETWEEN and close(run[j], run[i], MAX_ROW_GAP * max(1, i - j))
                    and all(_body_ok(run[k], kinds[k], zone) for k in range(j + 1, i))):
                clusters[-1].append(i)
                continue
        clusters.append([i])
    blocks: list[tuple[int, int, int, int]] = []
    for cl in clusters:
        zone = zone_of([run[i] for i in cl])
        first, last = cl[0], cl[-1]
        start = first
        k = first - 1
        floor = blocks[-1][3] if blocks else -1
        while (k > floor and first - k <= MAX_HEADER and run[k].page >= run[first].page - 1
               and close(run[k], run[k + 1], 2.5) and _header_ok(run[k], kinds[k], zone)):
            start = k
            k -= 1
        while start < first and kinds[start] == TEXT and zone.label_only(run[start]):
            start += 1  # a heading above the table is not part of it
        end = last
        k = last + 1
        while (k < len(run) and k - last <= 3 and run[k].page == run[last].page and close(run[k - 1], run[k], 1.6)
               and (kinds[k] == NUM or (kinds[k] == TEXT and zone.label_only(run[k])))):
            end = k
            k += 1
        has_header = any(kinds[i] == MULTI or not zone.label_only(run[i]) for i in range(start, first))
        if len(cl) >= 2 or has_header:
            blocks.append((start, first, last, end))
    return blocks
