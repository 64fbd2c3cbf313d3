"""Tables without rulings, found in the running lines of a document.

Anchors are *row lines*: lines with two or more numbers, or a label and a number apart by a
column-wide gap. Row lines close together, with only table-like lines between them (wrapped
labels, lone numbers), form a block; header lines above the first row line join it; a block may
run over a page break. Within a block:
- value columns are the overlapping x-ranges of its numbers; label columns are separated where
  label fragments on one line leave a gap (a group label beside a sub-label);
- text glued across a value-column boundary (header words in narrow columns) is split there;
- fragments on a row line belong to that row; a lone number (or a stack of them one under the
  other: a number wrapped in its cell, 1015⏎7) goes under the number above it when it sits
  right below it, else to the nearer neighbouring row that lacks that column;
- label fragments one under the other form a label paragraph (a wrapped label); it belongs to
  the row whose line it shares, or to the nearest row; a paragraph covering several rows is a
  merged cell, and a group label in a left column extends over the sub-label rows around it
  (like a rowspan), so every row carries its group label.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from .model import Box, union_box
from .tables import _ENUM, OutCell, OutTable
from .textlines import Fragment, PhysLine, make_fragment, min_conf, numeric_text

ROW, NUM, MULTI, TEXT = "row", "num", "multi", "text"
MAX_BETWEEN = 6  # at most this many lines between two row lines of one table
MAX_ROW_GAP = 6.0  # and at most this many line heights apart (same page)
MAX_HEADER = 8
SPLIT_GAP = 0.25  # a gap of this × size at a column boundary splits glued text


def _kind(frags) -> str:
    nums = [f for f in frags if f.numeric]
    if len(nums) >= 2 or (len(frags) >= 2 and nums and not frags[0].numeric):
        return ROW
    if nums and len(nums) == len(frags):
        return NUM
    if len(frags) >= 2:
        return MULTI
    return TEXT


def _doc_y(line: PhysLine) -> float:
    """A document-wide vertical position growing downwards (pages far apart)."""
    return line.page * 20000.0 - line.cy


def _has_cjk2(text: str) -> bool:
    n = 0
    for ch in text:
        if "\u3400" <= ch <= "\u9fff":
            n += 1
            if n >= 2:
                return True
    return False


@dataclass(frozen=True, slots=True)
class _Zone:
    value_left: float
    value_right: float
    size: float

    def label_only(self, line: PhysLine) -> bool:
        return all(f.x1 <= self.value_left + 0.5 * self.size for f in line.fragments)

    def in_values(self, f: Fragment) -> bool:
        return f.x0 >= self.value_left - self.size and f.x1 <= self.value_right + 2 * self.size

    def header_like(self, line: PhysLine) -> bool:
        """Text over the value columns: a caption or a header, which a table body never holds."""
        return any(not f.numeric and f.x1 > self.value_left + 0.5 * self.size and _has_cjk2(f.text)
                   for f in line.fragments)


def _zone(lines: list[PhysLine]) -> _Zone:
    nums = [f for ln in lines for f in ln.fragments if f.numeric]
    sizes = sorted(ln.size for ln in lines)
    return _Zone(min(f.x0 for f in nums), max(f.x1 for f in nums), sizes[len(sizes) // 2] or 10.0)


def _close(a: PhysLine, b: PhysLine, limit: float) -> bool:
    if a.page != b.page:
        return True  # across a page break: only furniture lay between
    return abs(a.cy - b.cy) <= limit * max(a.size, b.size, 1.0)


def _body_ok(line: PhysLine, kind: str, zone: _Zone) -> bool:
    """A line that may sit between two row lines of one table."""
    if kind == NUM:
        return True
    if zone.header_like(line):
        return False
    return zone.label_only(line) or all(zone.in_values(f) for f in line.fragments)


_HEADING = re.compile(r"^[一二三四五六七八九十]+、")


def _header_ok(line: PhysLine, kind: str, zone: _Zone) -> bool:
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
    kinds = [_kind(ln.fragments) for ln in run]

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
    kinds = [_kind(ln.fragments) for ln in run]
    rows = [i for i, k in enumerate(kinds) if k == ROW]
    clusters: list[list[int]] = []
    for i in rows:
        if clusters:
            j = clusters[-1][-1]
            zone = _zone([run[x] for x in clusters[-1]] + [run[i]])
            if (i - j - 1 <= MAX_BETWEEN and _close(run[j], run[i], MAX_ROW_GAP * max(1, i - j))
                    and all(_body_ok(run[k], kinds[k], zone) for k in range(j + 1, i))):
                clusters[-1].append(i)
                continue
        clusters.append([i])
    blocks: list[tuple[int, int, int, int]] = []
    for cl in clusters:
        zone = _zone([run[i] for i in cl])
        first, last = cl[0], cl[-1]
        start = first
        k = first - 1
        floor = blocks[-1][3] if blocks else -1
        while (k > floor and first - k <= MAX_HEADER and run[k].page >= run[first].page - 1
               and _close(run[k], run[k + 1], 2.5) and _header_ok(run[k], kinds[k], zone)):
            start = k
            k -= 1
        while start < first and kinds[start] == TEXT and zone.label_only(run[start]):
            start += 1  # a heading above the table is not part of it
        end = last
        k = last + 1
        while (k < len(run) and k - last <= 3 and run[k].page == run[last].page and _close(run[k - 1], run[k], 1.6)
               and (kinds[k] == NUM or (kinds[k] == TEXT and zone.label_only(run[k])))):
            end = k
            k += 1
        has_header = any(kinds[i] == MULTI or not zone.label_only(run[i]) for i in range(start, first))
        if len(cl) >= 2 or has_header:
            blocks.append((start, first, last, end))
    return blocks


# ---------------------------------------------------------------------------------------------
# columns


@dataclass(frozen=True, slots=True)
class _Columns:
    label_bounds: tuple[float, ...]  # n_labels + 1 boundaries, the last = where values begin
    values: tuple[tuple[float, float], ...]  # x-ranges of the value columns

    @property
    def n_labels(self) -> int:
        return max(len(self.label_bounds) - 1, 0)

    @property
    def n(self) -> int:
        return self.n_labels + len(self.values)

    def value_bounds(self, j: int) -> tuple[float, float]:
        lo = self.values[j][0] if j == 0 else (self.values[j - 1][1] + self.values[j][0]) / 2
        hi = self.values[j][1] if j == len(self.values) - 1 else (self.values[j][1] + self.values[j + 1][0]) / 2
        return lo, hi

    def bounds(self, col: int) -> tuple[float, float]:
        if col < self.n_labels:
            return self.label_bounds[col], self.label_bounds[col + 1]
        return self.value_bounds(col - self.n_labels)

    def split_points(self) -> list[float]:
        pts = [self.value_bounds(j)[1] for j in range(len(self.values) - 1)]
        if self.values:
            pts.append(self.values[0][0] - 0.5)
        return pts

    def _label_col(self, x: float) -> int:
        for k in range(self.n_labels):
            if x < self.label_bounds[k + 1]:
                return k
        return max(self.n_labels - 1, 0)

    def numeric_col(self, f: Fragment) -> int:
        cx = f.cx
        best, best_d = 0, float("inf")
        for j, (a, b) in enumerate(self.values):
            d = 0.0 if a <= cx <= b else min(abs(cx - a), abs(cx - b))
            if d < best_d:
                best, best_d = j, d
        return self.n_labels + best

    def span(self, f: Fragment, size: float) -> tuple[int, int]:
        edge = self.label_bounds[-1] if self.n_labels else float("-inf")
        if self.n_labels and f.x1 <= edge + 0.5 * size:
            return self._label_col(f.x0 + 0.5 * size), self._label_col(f.x1 - 0.5 * size)
        if f.numeric:
            c = self.numeric_col(f)
            return c, c
        cols = [self.n_labels + j for j, (a, b) in enumerate(self.values)
                if f.x0 - 0.5 * size <= (a + b) / 2 <= f.x1 + 0.5 * size]
        if self.n_labels and f.cx < edge:
            cols.extend(range(self._label_col(f.x0 + 0.5 * size), self.n_labels))
        if not cols:
            cx = f.cx
            cols = [min(range(self.n), key=lambda c: abs(sum(self.bounds(c)) / 2 - cx))]
        return min(cols), max(cols)


def _value_columns(frag_lines, kinds, zone: _Zone) -> list[tuple[float, float]]:
    nums = sorted(((f.x0, f.x1) for frags, k in zip(frag_lines, kinds) if k in (ROW, NUM)
                   for f in frags if f.numeric and f.x0 >= zone.value_left - 0.5), key=lambda v: v[0])
    merged: list[list[float]] = []
    for a, b in nums:
        if merged and a <= merged[-1][1] + 1.0:
            merged[-1][1] = max(merged[-1][1], b)
        else:
            merged.append([a, b])
    return [(a, b) for a, b in merged]


def _header_columns(values, header_frags, zone: _Zone) -> list[tuple[float, float]]:
    """Value columns no number occupies (a column left blank), seen from their header words."""
    if len(values) < 2:
        return values
    centres = [(a + b) / 2 for a, b in values]
    pitch = sorted(b - a for a, b in zip(centres, centres[1:]))[len(centres) // 2 - 1]
    out = list(values)
    for f in header_frags:
        if f.numeric or f.x1 - f.x0 > 1.2 * pitch:
            continue
        if not (values[0][0] - 1.5 * pitch <= f.cx <= values[-1][1] + 1.5 * pitch):
            continue
        if any(f.x0 - 0.2 * pitch < b and f.x1 + 0.2 * pitch > a for a, b in out):
            continue
        out.append((f.x0, f.x1))
    return sorted(out)


def _split(frag: Fragment, points: list[float], size: float) -> list[Fragment]:
    """Split glued text at column boundaries that fall into a gap between its glyphs."""
    inside = [p for p in points if frag.x0 < p < frag.x1]
    if not inside or len(frag.chars) < 2:
        return [frag]
    parts, cur = [], [frag.chars[0]]
    for prev, ch in zip(frag.chars, frag.chars[1:]):
        gap = ch.x0 - prev.x1
        if gap >= SPLIT_GAP * size and any(prev.x1 - 0.5 * size <= p <= ch.x0 + 0.5 * size for p in inside):
            parts.append(cur)
            cur = [ch]
        else:
            cur.append(ch)
    parts.append(cur)
    return [make_fragment(p) for p in parts] if len(parts) > 1 else [frag]


def _split_labels(frag: Fragment, zone: _Zone) -> list[Fragment]:
    """Labels in narrow columns sit closer than a column gap: split them at gaps of 0.6 em."""
    parts, cur = [], [frag.chars[0]]
    for prev, ch in zip(frag.chars, frag.chars[1:]):
        if ch.x0 - prev.x1 >= 0.6 * max(zone.size, ch.size):
            parts.append(cur)
            cur = [ch]
        else:
            cur.append(ch)
    parts.append(cur)
    return [make_fragment(p) for p in parts] if len(parts) > 1 else [frag]


def _label_bounds(frag_lines, zone: _Zone) -> list[float]:
    """Label column boundaries: x positions with label text on both sides that few labels cross
    (a wide top-level label may span the group and sub-label columns)."""
    tol = 0.5 * zone.size
    labels = [f for frags in frag_lines for f in frags if not f.numeric and f.x1 <= zone.value_left + tol]
    if not labels:
        return []
    best: list[tuple[float, int]] = []  # (separator, crossers)
    for x in sorted({round(f.x0, 1) for f in labels}):
        sep = x - tol
        left = sum(1 for f in labels if f.x1 <= sep + tol)
        right = sum(1 for f in labels if f.x0 >= sep - 0.1)
        cross = len(labels) - left - right
        if left >= 2 and right >= 2 and cross <= 0.34 * (left + right):
            if best and sep - best[-1][0] < 2 * zone.size:
                if cross < best[-1][1]:
                    best[-1] = (sep, cross)
                continue
            best.append((sep, cross))
    return [min(f.x0 for f in labels), *(b for b, _ in best), zone.value_left - 0.5]


# ---------------------------------------------------------------------------------------------
# rows


@dataclass(slots=True)
class _Item:
    col0: int
    col1: int
    y: float
    line: PhysLine
    frag: Fragment
    to_row: int | None = None  # a merged cell down to this row


@dataclass(slots=True)
class _Row:
    y: float  # document position of the row line
    page: int
    box: Box
    items: list[_Item] = field(default_factory=list)
    spanning: bool = False

    def has_col(self, col: int) -> bool:
        return any(it.col0 <= col <= it.col1 for it in self.items)


def build_table(lines: list[PhysLine], first_row: int) -> OutTable:
    """One borderless table from its block of lines (``first_row`` indexes the first row line)."""
    kinds0 = [_kind(ln.fragments) for ln in lines]
    zone = _zone([ln for ln, k in zip(lines, kinds0) if k == ROW])
    size = zone.size
    values = _value_columns([ln.fragments for ln in lines], kinds0, zone)
    probe = _Columns((), tuple(values))
    points = probe.split_points()
    frag_lines = [[p for f in ln.fragments for p in (_split(f, points, size) if not f.numeric else [f])
                   for p in (_split_labels(p, zone) if p.x1 <= zone.value_left + 0.5 * size else [p])]
                  for ln in lines]
    kinds = [_kind(fs) for fs in frag_lines]
    values = _header_columns(values, [f for fs in frag_lines[:first_row] for f in fs], zone)
    cols = _Columns(tuple(_label_bounds(frag_lines, zone)), tuple(values))
    # a label line just above a numbers-only first row is that row's wrapped label
    while (first_row > 0 and kinds[first_row - 1] == TEXT and zone.label_only(lines[first_row - 1])
           and all(f.numeric for f in frag_lines[first_row]) and _close(lines[first_row - 1], lines[first_row], 1.2)):
        first_row -= 1
    header: list[_Row] = []
    for ln, frags in zip(lines[:first_row], frag_lines[:first_row]):
        items = [_Item(*cols.span(f, size), _doc_y(ln), ln, f) for f in frags]
        spanning = any(it.col1 > it.col0 and it.col1 >= cols.n_labels for it in items)
        if header and not spanning and not header[-1].spanning:
            header[-1].items.extend(items)
            header[-1].box = union_box([header[-1].box, ln.box])
        else:
            header.append(_Row(_doc_y(ln), ln.page, ln.box, items, spanning))
    rows, row_of = _group_rows(lines, frag_lines, kinds, first_row, cols, size)
    labels: list[tuple[_Item, _Row | None]] = []
    stacks: list[list[_Item]] = []
    others: list[_Item] = []
    for i in range(first_row, len(lines)):
        ln, own, y = lines[i], row_of.get(i), _doc_y(lines[i])
        for f in frag_lines[i]:
            fy = ln.page * 20000.0 - (f.box[1] + f.box[3]) / 2 if not f.numeric else y
            item = _Item(*cols.span(f, size), fy, ln, f)
            if cols.n_labels and not f.numeric and item.col1 < cols.n_labels:
                labels.append((item, own))
            elif own is not None:
                own.items.append(item)
            elif f.numeric:
                for st in stacks:
                    if (st[-1].col0 == item.col0 and st[-1].line.page == ln.page
                            and 0 < y - st[-1].y <= 1.6 * max(ln.size, 1.0)):
                        st.append(item)
                        break
                else:
                    stacks.append([item])
            else:
                others.append(item)
    if rows:
        for st in stacks:
            _place_stack(st, rows)
        pitch = _pitch(rows, size)
        for para in _paragraphs(labels, size, pitch):
            _place_paragraph(para, rows)
        for item in others:
            _nearest(rows, item.y, item.line.page).items.append(item)
    all_rows = header + rows
    table = _cells(all_rows, cols, len(header))
    _extend_groups(table, all_rows, cols.n_labels, len(header), size)
    return table


def _group_rows(lines, frag_lines, kinds, first_row: int, cols: _Columns, size: float):
    """Rows from row lines. Row lines a fraction of a line apart are one row when their numbers
    sit in different columns (cells centred vertically: wrapped numbers above and below the
    others) or continue numbers that fill their column (the rest of a wrapped number)."""
    widest: dict[int, float] = {}
    for fs, k in zip(frag_lines, kinds):
        if k == ROW:
            for f in fs:
                if f.numeric:
                    c = cols.numeric_col(f)
                    widest[c] = max(widest.get(c, 0.0), f.x1 - f.x0)
    rows: list[_Row] = []
    row_of: dict[int, _Row] = {}
    last: dict[int, Fragment] = {}  # the current row's lowest number per column
    prev_line: int | None = None
    for i in range(first_row, len(lines)):
        if kinds[i] != ROW:
            continue
        ln = lines[i]
        nums = [(cols.numeric_col(f), f) for f in frag_lines[i] if f.numeric]
        joins = False
        if prev_line is not None and lines[prev_line].page == ln.page \
                and 0 < lines[prev_line].cy - ln.cy <= 1.4 * size:
            joins = all(c not in last or (last[c].x1 - last[c].x0 >= 0.8 * widest[c]
                                          and 0 < last[c].box[1] - f.box[3] + size <= 1.6 * size)
                        for c, f in nums)
        if joins:
            row = rows[-1]
            row.box = union_box([row.box, ln.box])
            row.y = row.page * 20000.0 - (row.box[1] + row.box[3]) / 2
        else:
            row = _Row(_doc_y(ln), ln.page, ln.box)
            rows.append(row)
            last = {}
        for c, f in nums:
            last[c] = f
        row_of[i] = row
        prev_line = i
    return rows, row_of


def _nearest(rows: list[_Row], y: float, page: int) -> _Row:
    return min(rows, key=lambda r: (abs(r.y - y) + (0 if r.page == page else 1e6), r.y > y))


def _place_stack(st: list[_Item], rows: list[_Row]) -> None:
    c, y, page = st[0].col0, sum(it.y for it in st) / len(st), st[0].line.page
    above = [r for r in rows if r.y <= y and r.page == page]
    below = [r for r in rows if r.y > y and r.page == page]
    cand = [r for r in (above[-1] if above else None, below[0] if below else None) if r is not None]
    if not cand:
        cand = [_nearest(rows, y, page)]
    target = None
    if above and above[-1] in cand:
        # right under a number of the row above: the rest of a number wrapped in its cell
        ys = [it.y for it in above[-1].items if it.col0 == it.col1 == c and it.frag.numeric]
        if ys and 0 < st[0].y - max(ys) <= 1.6 * max(st[0].line.size, 1.0):
            target = above[-1]
    if target is None:
        missing = [r for r in cand if not r.has_col(c)]
        target = min(missing or cand, key=lambda r: abs(r.y - y))
    target.items.extend(st)


def _pitch(rows: list[_Row], size: float) -> float:
    """The smallest distance between two row lines on one page (a table's row pitch)."""
    d = [b.y - a.y for a, b in zip(rows, rows[1:]) if a.page == b.page and b.y > a.y]
    return min(d) if d else 3 * size


def _paragraphs(labels, size: float, pitch: float):
    """Label fragments of one column one under the other, closer than the row pitch."""
    link = min(1.6 * size, 0.9 * pitch)
    paras: list[list[tuple[_Item, _Row | None]]] = []
    for item, own in sorted(labels, key=lambda t: (t[0].col0, t[0].y)):
        if paras:
            last = paras[-1][-1][0]
            if (last.col0 == item.col0 and last.line.page == item.line.page and 0 < item.y - last.y <= link
                    and not _ENUM.match(item.frag.text)):
                paras[-1].append((item, own))
                continue
        paras.append([(item, own)])
    return paras


def _place_paragraph(para, rows: list[_Row]) -> None:
    items = [it for it, _ in para]
    owners = []
    for _, own in para:
        if own is not None and own not in owners:
            owners.append(own)
    if len(owners) == 1:
        owners[0].items.extend(items)
        return
    if not owners:
        lo, hi = items[0].y - 0.6 * items[0].line.size, items[-1].y + 0.6 * items[-1].line.size
        owners = [r for r in rows if lo <= r.y <= hi and r.page == items[0].line.page]
        if len(owners) <= 1:
            y = sum(it.y for it in items) / len(items)
            (owners[0] if owners else _nearest(rows, y, items[0].line.page)).items.extend(items)
            return
    # one label over several rows: a merged cell from the first row it covers to the last
    first, last = owners[0], owners[-1]
    index = rows.index(last)
    for it in items:
        it.to_row = index
    first.items.extend(items)


def _cells(rows: list[_Row], cols: _Columns, n_header: int) -> OutTable:
    """Cells of every row (``to_row`` of an item indexes body rows, after the header rows)."""
    out: list[OutCell] = []
    covered: set[tuple[int, int]] = set()
    for r_index, row in enumerate(rows):
        groups: list[list] = []  # [col0, col1, items, row1]
        for it in sorted(row.items, key=lambda t: (t.col0, t.col1)):
            row1 = r_index if it.to_row is None else max(r_index, n_header + it.to_row)
            if groups and it.col0 <= groups[-1][1]:
                groups[-1][1] = max(groups[-1][1], it.col1)
                groups[-1][2].append(it)
                groups[-1][3] = max(groups[-1][3], row1)
            else:
                groups.append([it.col0, it.col1, [it], row1])
        for a, b, items, row1 in groups:
            if (r_index, a) in covered:
                row1 = r_index  # inside a merged cell from above: keep it to its own row
            items.sort(key=lambda t: (t.y, t.frag.x0))
            text = numeric_text(" ".join("".join(it.frag.text for it in items).split()))
            chars = [ch for it in items for ch in it.frag.chars]
            same = [it.frag.box for it in items if it.line.page == row.page]
            box = union_box(same) if same else items[0].frag.box
            out.append(OutCell(r_index, row1, a, b, text, row.page, box, min_conf(chars)))
            for rr in range(r_index + 1, row1 + 1):
                covered.update((rr, c) for c in range(a, b + 1))
    taken = {(c.row0, k) for c in out for k in range(c.col0, c.col1 + 1)}
    for r_index, row in enumerate(rows):
        for k in range(cols.n):
            if (r_index, k) not in taken and (r_index, k) not in covered:
                lo, hi = cols.bounds(k)
                out.append(OutCell(r_index, r_index, k, k, "", row.page, (lo, row.box[1], hi, row.box[3])))
    return OutTable(out)


_FIRST_ITEM = re.compile(r"^\s*(1\s*[.、．]|[(（]\s*1\s*[)）]|①)")


def _extend_groups(table: OutTable, rows: list[_Row], n_labels: int, n_header: int, size: float) -> None:
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

        def status(r: int) -> str:
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


def _share(table, rows, k, s, e, at, status, size) -> None:
    groups: list[OutCell] = []
    for q in range(s, e + 1):
        c = at.get(q)
        if status(q) == "group" and c is not None and c not in groups:
            groups.append(c)
    if not groups:
        return
    spans = []
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
        table.cells[:] = [c for c in table.cells
                          if c is g or not ((c.row0, c.col0) in drop and c.col0 == c.col1 and not c.text)]
        g.row0, g.row1 = a, max(b, g.row1)
