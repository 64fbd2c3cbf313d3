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
from .textlines import PhysLine, has_cjk2


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
    if (
        abs(line.size - zone.size) <= 0.25 * zone.size
        and zone.table_left - 6 * zone.size <= line.box[0]
        and line.box[2] <= zone.value_right + 2 * zone.size
        and len(line.text) <= 80
    ):
        return True  # header words in the table's type size, over its columns
    return zone.label_only(line) or (
        all(zone.in_values(f) for f in line.fragments)
        and width <= 0.6 * (zone.value_right - zone.value_left + 2 * zone.size)
    )


MAX_LABEL_RUN = 60  # label-only lines between two row lines of one table (rows left blank)


def _caption(line: PhysLine, zone: Zone) -> bool:
    """One run of text centred over the whole table (第二十条第（一）项)."""
    f = line.fragments[0]
    return len(line.fragments) == 1 and abs(f.cx - (zone.table_left + zone.value_right) / 2) <= 2 * zone.size


def _table_sized(line: PhysLine, zone: Zone) -> bool:
    return abs(line.size - zone.size) <= 0.15 * zone.size


def _label_run(run: list[PhysLine], j: int, i: int, zone: Zone) -> bool:
    """Lines between row lines ``j`` and ``i`` that can only be rows left blank: label text in
    the table's type size, each line close under the one before."""
    return i - j - 1 <= MAX_LABEL_RUN and all(
        _table_sized(run[k], zone) and close(run[k - 1], run[k], 2.2) for k in range(j + 1, i + 1)
    )


def _pitch(run: list[PhysLine], cluster: list[int], start: int) -> float | None:
    """The smallest distance between consecutive row lines (or from the header's last line to
    the first row line) on one page."""
    marks = ([cluster[0] - 1] if cluster[0] > start else []) + cluster
    d = [run[a].cy - run[b].cy for a, b in zip(marks, marks[1:]) if run[a].page == run[b].page]
    d = [x for x in d if x > 0]
    return min(d) if d else None


def _blank_tail(run: list[PhysLine], kinds: list[str], cluster: list[int], start: int, end: int, zone: Zone) -> int:
    """Rows left blank after the last row line: label lines in the table's type size, a row
    pitch or less apart, starting where labels of the table's row lines start."""
    pitch = _pitch(run, cluster, start)
    if pitch is None:
        return end
    lefts = [f.x0 for i in cluster for f in run[i].fragments if not f.numeric]
    k = end + 1
    while (
        k < len(run)
        and kinds[k] == TEXT
        and run[k].page == run[k - 1].page
        and _table_sized(run[k], zone)
        and zone.label_only(run[k])
        and run[k - 1].cy - run[k].cy <= 1.3 * pitch
        and any(abs(f.x0 - x) <= 1.5 for f in run[k].fragments for x in lefts)
    ):
        end = k
        k += 1
    return end


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


def find_blocks(run: list[PhysLine]) -> list[tuple[int, int, int, int, Zone | None]]:
    """Table blocks in a run of lines: (start, first_row, last_row, end, zone), inclusive indices;
    ``zone`` is None for tables found from their row lines, the header's for tables without a
    number."""
    kinds = [line_kind(ln.fragments) for ln in run]
    rows = [i for i, k in enumerate(kinds) if k == ROW]
    clusters: list[list[int]] = []
    for i in rows:
        if clusters:
            j = clusters[-1][-1]
            zone = zone_of([run[x] for x in clusters[-1]] + [run[i]])
            if all(_body_ok(run[k], kinds[k], zone) for k in range(j + 1, i)) and (
                (i - j - 1 <= MAX_BETWEEN and close(run[j], run[i], MAX_ROW_GAP * max(1, i - j)))
                or _label_run(run, j, i, zone)
            ):
                clusters[-1].append(i)
                continue
        clusters.append([i])
    blocks: list[tuple[int, int, int, int, Zone | None]] = []
    for cl in clusters:
        zone = zone_of([run[i] for i in cl])
        first, last = cl[0], cl[-1]
        start = _header_start(run, kinds, first, blocks[-1][3] if blocks else -1, zone)
        end = last
        k = last + 1
        while (
            k < len(run)
            and k - last <= 3
            and run[k].page == run[last].page
            and close(run[k - 1], run[k], 1.6)
            and (kinds[k] == NUM or (kinds[k] == TEXT and zone.label_only(run[k])))
        ):
            end = k
            k += 1
        end = _blank_tail(run, kinds, cl, start, end, zone)
        has_header = any(kinds[i] == MULTI or not zone.label_only(run[i]) for i in range(start, first))
        if len(cl) >= 2 or has_header:
            blocks.append((start, first, last, end, None))
    return _with_blank_tables(run, kinds, blocks)


def _header_start(run: list[PhysLine], kinds: list[str], first: int, floor: int, zone: Zone) -> int:
    """The first header line above line ``first`` (lines after ``floor`` only)."""
    start = first
    k = first - 1
    heads = 0  # header lines passed; label lines under the header (rows left blank) do not count
    while (
        k > floor
        and heads < MAX_HEADER
        and run[k].page >= run[first].page - 1
        and close(run[k], run[k + 1], 2.5)
        and _header_ok(run[k], kinds[k], zone)
    ):
        label = kinds[k] == TEXT and _table_sized(run[k], zone) and zone.label_only(run[k])
        if label and heads and not close(run[k], run[k + 1], 1.3):
            break  # a label line a row pitch above the header: not part of this table
        start = k
        heads += not label
        k -= 1
    while start < first and kinds[start] == TEXT and (zone.label_only(run[start]) or _caption(run[start], zone)):
        start += 1  # a heading or a caption above the table is not part of it
    return start


def _with_blank_tables(
    run: list[PhysLine], kinds: list[str], blocks: list[tuple[int, int, int, int, Zone | None]]
) -> list[tuple[int, int, int, int, Zone | None]]:
    """Add tables that print no number at all (every cell left blank, or its only number not
    recognised in a scan): a header line with a label header and short column headers, header
    lines under it, then row labels in the same type size, each close under the one before. Their zone comes from
    the header (the block's fifth element)."""
    out: list[tuple[int, int, int, int, Zone | None]] = []
    floor, i = -1, 0
    spans = [(b[0], b[3]) for b in blocks]
    while i < len(run):
        inside = next((b for b in spans if b[0] <= i <= b[1]), None)
        if inside is not None:
            floor, i = inside[1], inside[1] + 1
            continue
        found = _blank_table(run, kinds, i, next((a for a, _ in spans if a > i), len(run)), floor)
        if found is None:
            i += 1
            continue
        out.append(found)
        floor, i = found[3], found[3] + 1
    return sorted(blocks + out)


def _blank_table(
    run: list[PhysLine], kinds: list[str], i: int, stop: int, floor: int
) -> tuple[int, int, int, int, Zone | None] | None:
    head = run[i]
    words = head.fragments[1:]
    if (
        kinds[i] != MULTI
        or not words
        or any(len(f.text) > 16 or any(ch.isdigit() for ch in f.text) or not has_cjk2(f.text) for f in words)
    ):
        return None
    zone = Zone(min(f.x0 for f in words), max(f.x1 for f in words), head.size, head.fragments[0].x0)
    k = i + 1
    while (
        k < stop
        and close(run[k - 1], run[k], 2.5)
        and _table_sized(run[k], zone)
        and not zone.label_only(run[k])
        and not any(f.numeric for f in run[k].fragments)
    ):
        k += 1  # more header lines
    first = k
    while (
        k < stop
        and kinds[k] in (TEXT, MULTI)
        and _table_sized(run[k], zone)
        and zone.label_only(run[k])
        and close(run[k - 1], run[k], 2.2)
    ):
        k += 1
    if k == first:
        return None
    return (_header_start(run, kinds, i, floor, zone), first, k - 1, k - 1, zone)
