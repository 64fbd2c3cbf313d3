"""Tables without rulings, found in the running lines of a document.

Anchors are *row lines*: lines with two or more numbers, or a label and a number apart by a
column-wide gap. Row lines close together, with only table-like lines between them (wrapped
labels, lone numbers, header words), form a block; a block may run over a page break. The block's
value columns are the overlapping x-ranges of its numbers, its label columns the left edges of
the text left of the first number. Every fragment of every line of the block then goes to a row
and a column:
- fragments on a row line belong to that row;
- a lone number (or a stack of lone numbers one under the other, a wrapped number like
  1015⏎7) goes to the nearer of the rows above and below that lacks that column, else to the
  nearest row, where it is joined top to bottom with what the row has;
- other text goes to the nearest row (a wrapped label).
Lines above the first row line form header rows.
"""
from __future__ import annotations

from dataclasses import dataclass

from .model import Box, union_box
from .tables import _ENUM, OutCell, OutTable
from .textlines import Fragment, PhysLine, min_conf

ROW, NUM, MULTI, TEXT = "row", "num", "multi", "text"
MAX_BETWEEN = 6  # at most this many lines between two row lines of one table
MAX_ROW_GAP = 6.0  # and at most this many line heights apart (same page)
MAX_HEADER = 8


def _kind(line: PhysLine) -> str:
    frags = line.fragments
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


@dataclass(frozen=True, slots=True)
class _Zone:
    value_left: float
    size: float

    def label_only(self, line: PhysLine) -> bool:
        return all(f.x1 <= self.value_left + 0.5 * self.size for f in line.fragments)

    def short_in_values(self, line: PhysLine) -> bool:
        return all(f.x0 >= self.value_left - self.size and f.x1 - f.x0 <= 8 * self.size for f in line.fragments)


def _zone(lines: list[PhysLine]) -> _Zone:
    xs = [f.x0 for ln in lines for f in ln.fragments if f.numeric]
    sizes = sorted(ln.size for ln in lines)
    return _Zone(min(xs), sizes[len(sizes) // 2] or 10.0)


def _between_ok(line: PhysLine, kind: str, zone: _Zone) -> bool:
    if kind in (NUM, MULTI):
        return True
    return zone.label_only(line) or zone.short_in_values(line)


def _close(a: PhysLine, b: PhysLine, limit: float) -> bool:
    if a.page != b.page:
        return True  # across a page break: only furniture lay between
    return abs(a.cy - b.cy) <= limit * max(a.size, b.size, 1.0)


def find_blocks(run: list[PhysLine]) -> list[tuple[int, int, int, int]]:
    """Table blocks in a run of lines: (start, first_row, last_row, end), inclusive indices."""
    kinds = [_kind(ln) for ln in run]
    rows = [i for i, k in enumerate(kinds) if k == ROW]
    clusters: list[list[int]] = []
    for i in rows:
        if clusters:
            j = clusters[-1][-1]
            zone = _zone([run[x] for x in clusters[-1]] + [run[i]])
            if (i - j - 1 <= MAX_BETWEEN and _close(run[j], run[i], MAX_ROW_GAP * max(1, i - j))
                    and all(_between_ok(run[k], kinds[k], zone) for k in range(j + 1, i))):
                clusters[-1].append(i)
                continue
        clusters.append([i])
    blocks = []
    for cl in clusters:
        zone = _zone([run[i] for i in cl])
        first, last = cl[0], cl[-1]
        start = first
        k = first - 1
        while k >= 0 and first - k <= MAX_HEADER and kinds[k] != ROW and run[k].page == run[first].page \
                and _close(run[k], run[k + 1], 2.5) and _between_ok(run[k], kinds[k], zone):
            if blocks and k <= blocks[-1][3]:
                break
            start = k
            k -= 1
        while start < first and kinds[start] == TEXT and zone.label_only(run[start]):
            start += 1  # a heading above the table is not part of it
        end = last
        k = last + 1
        while k < len(run) and k - last <= 3 and run[k].page == run[last].page and _close(run[k - 1], run[k], 1.6) \
                and (kinds[k] == NUM or (kinds[k] == TEXT and zone.label_only(run[k]))):
            end = k
            k += 1
        header_lines = [run[i] for i in range(start, first)]
        has_header = any(_kind(ln) == MULTI or zone.short_in_values(ln) for ln in header_lines)
        if len(cl) >= 2 or has_header:
            blocks.append((start, first, last, end))
    return blocks


@dataclass(frozen=True, slots=True)
class _Columns:
    label_starts: tuple[float, ...]
    values: tuple[tuple[float, float], ...]  # x-ranges of the value columns

    @property
    def n_labels(self) -> int:
        return len(self.label_starts)

    def value_bounds(self, j: int) -> tuple[float, float]:
        lo = self.values[j][0] if j == 0 else (self.values[j - 1][1] + self.values[j][0]) / 2
        hi = self.values[j][1] if j == len(self.values) - 1 else (self.values[j][1] + self.values[j + 1][0]) / 2
        return lo, hi

    def bounds(self, col: int) -> tuple[float, float]:
        if col < self.n_labels:
            lo = self.label_starts[col]
            hi = self.label_starts[col + 1] if col + 1 < self.n_labels else self.value_bounds(0)[0]
            return lo, hi
        return self.value_bounds(col - self.n_labels)

    def numeric_col(self, f: Fragment) -> int:
        cx = f.cx
        best, best_d = 0, float("inf")
        for j, (a, b) in enumerate(self.values):
            d = 0.0 if a <= cx <= b else min(abs(cx - a), abs(cx - b))
            if d < best_d:
                best, best_d = j, d
        return self.n_labels + best

    def span(self, f: Fragment, size: float) -> tuple[int, int]:
        if f.numeric and f.x0 >= self.values[0][0] - size:
            c = self.numeric_col(f)
            return c, c
        cols = []
        for j, (a, b) in enumerate(self.values):
            mid = (a + b) / 2
            if f.x0 - size <= mid <= f.x1 + size:
                cols.append(self.n_labels + j)
        for k, start in enumerate(self.label_starts):
            lo, hi = self.bounds(k)
            if f.x0 < hi - 0.5 * size and f.x1 > lo + 0.5 * size:
                cols.append(k)
        if not cols:
            cx = f.cx
            cols = [min(range(self.n_labels + len(self.values)),
                        key=lambda c: abs((self.bounds(c)[0] + self.bounds(c)[1]) / 2 - cx))]
        return min(cols), max(cols)


def _columns(lines: list[PhysLine], kinds: list[str], zone: _Zone) -> _Columns:
    nums = sorted(((f.x0, f.x1) for ln, k in zip(lines, kinds) if k in (ROW, NUM)
                   for f in ln.fragments if f.numeric and f.x0 >= zone.value_left - 0.5), key=lambda v: v[0])
    merged: list[list[float]] = []
    for a, b in nums:
        if merged and a <= merged[-1][1] + 1.0:
            merged[-1][1] = max(merged[-1][1], b)
        else:
            merged.append([a, b])
    starts = sorted(f.x0 for ln in lines for f in ln.fragments
                    if not f.numeric and f.x1 <= zone.value_left + 0.5 * zone.size)
    labels: list[float] = []
    for x in starts:
        if not labels or x - labels[-1] > 1.5 * zone.size:
            labels.append(x)
    return _Columns(tuple(labels), tuple((a, b) for a, b in merged))


@dataclass(slots=True)
class _Row:
    y: float  # document position of the row line
    page: int
    box: Box
    items: list[tuple[int, int, float, PhysLine, Fragment]]  # col0, col1, doc-y, line, fragment
    spanning: bool = False

    def has_col(self, col: int) -> bool:
        return any(a <= col <= b for a, b, *_ in self.items)


def build_table(lines: list[PhysLine], first_row: int) -> OutTable:
    """One borderless table from its block of lines (``first_row`` indexes the first row line)."""
    kinds = [_kind(ln) for ln in lines]
    zone = _zone([ln for ln, k in zip(lines, kinds) if k == ROW])
    cols = _columns(lines, kinds, zone)
    size = zone.size
    rows: list[_Row] = []
    header: list[_Row] = []
    # a label line just above a numbers-only first row is that row's wrapped label
    while (first_row > 0 and kinds[first_row - 1] == TEXT and zone.label_only(lines[first_row - 1])
           and all(f.numeric for f in lines[first_row].fragments)
           and _close(lines[first_row - 1], lines[first_row], 1.2)):
        first_row -= 1
    # header rows: a line with a fragment spanning value columns is a row of its own,
    # consecutive other lines merge into one row (header words wrapped in narrow columns)
    for ln in lines[:first_row]:
        items = [(*cols.span(f, size), _doc_y(ln), ln, f) for f in ln.fragments]
        spanning = any(b > a and b >= cols.n_labels for a, b, *_ in items)
        if header and not spanning and not header[-1].spanning:
            header[-1].items.extend(items)
            header[-1].box = union_box([header[-1].box, ln.box])
        else:
            header.append(_Row(_doc_y(ln), ln.page, ln.box, items, spanning))
    body = lines[first_row:]
    body_kinds = kinds[first_row:]
    label_items: list[tuple[int, int, float, PhysLine, Fragment, _Row | None]] = []
    row_of: dict[int, _Row] = {}
    for ln, k in zip(body, body_kinds):
        if k == ROW:
            row = _Row(_doc_y(ln), ln.page, ln.box, [])
            rows.append(row)
            row_of[id(ln)] = row
    # lone numbers: stack vertically adjacent ones in the same column, then place the stacks
    stacks: list[list[tuple[int, float, PhysLine, Fragment]]] = []
    others: list[tuple[float, PhysLine, Fragment]] = []
    for ln, k in zip(body, body_kinds):
        y = _doc_y(ln)
        own = row_of.get(id(ln))
        for f in ln.fragments:
            in_values = f.x0 >= cols.values[0][0] - size
            if not f.numeric and f.x1 <= zone.value_left + 0.5 * size:
                a_, b_ = cols.span(f, size)
                label_items.append((a_, b_, y, ln, f, own))
            elif own is not None:
                own.items.append((*cols.span(f, size), y, ln, f))
            elif f.numeric and in_values:
                c = cols.numeric_col(f)
                for st in stacks:
                    if st[-1][0] == c and st[-1][2].page == ln.page and 0 < y - st[-1][1] <= 1.6 * max(ln.size, 1.0):
                        st.append((c, y, ln, f))
                        break
                else:
                    stacks.append([(c, y, ln, f)])
            else:
                others.append((y, ln, f))
    for st in stacks:
        c = st[0][0]
        y = sum(s[1] for s in st) / len(st)
        above = [r for r in rows if r.y <= y]
        below = [r for r in rows if r.y > y]
        cand = [r for r in (above[-1] if above else None, below[0] if below else None) if r is not None]
        cand = [r for r in cand if r.page == st[0][2].page] or cand
        target = None
        if above and above[-1] in cand:
            # directly under a number of the row above: the rest of a number wrapped in its cell
            ys = [iy for a, b, iy, _, f in above[-1].items if a == b == c and f.numeric]
            if ys and 0 < st[0][1] - max(ys) <= 1.6 * max(st[0][2].size, 1.0):
                target = above[-1]
        if target is None:
            missing = [r for r in cand if not r.has_col(c)]
            pick = missing if missing else cand
            target = min(pick, key=lambda r: abs(r.y - y)) if pick else None
        if target is None:
            continue
        for _, fy, ln, f in st:
            target.items.append((c, c, fy, ln, f))
    if rows:
        for para in _label_paragraphs(label_items, size):
            owners = {id(it[5]): it[5] for it in para if it[5] is not None}
            if len(owners) == 1:
                row = next(iter(owners.values()))
                row.items.extend(it[:5] for it in para)
                continue
            pool = list(owners.values()) or rows
            if not owners:
                y = sum(it[2] for it in para) / len(para)
                row = _nearest_row(pool, y, para[0][3].page)
                row.items.extend(it[:5] for it in para)
                continue
            for it in para:
                _nearest_row(pool, it[2], it[3].page).items.append(it[:5])
        for y, ln, f in others:
            _nearest_row(rows, y, ln.page).items.append((*cols.span(f, size), y, ln, f))
    return _to_table(header + rows, cols, size)


def _nearest_row(rows: list[_Row], y: float, page: int) -> _Row:
    return min(rows, key=lambda r: (abs(r.y - y) + (0 if r.page == page else 1e6), r.y > y))


def _label_paragraphs(items, size: float):
    """Label fragments of one column, one under the other and not starting a new enumerated label."""
    paras: list[list] = []
    for it in sorted(items, key=lambda t: (t[0], t[2])):
        if paras:
            last = paras[-1][-1]
            if (last[0] == it[0] and last[3].page == it[3].page and 0 < it[2] - last[2] <= 1.6 * max(size, 1.0)
                    and not _ENUM.match(it[4].text)):
                paras[-1].append(it)
                continue
        paras.append([it])
    return paras


def _to_table(rows: list[_Row], cols: _Columns, size: float) -> OutTable:
    n_cols = cols.n_labels + len(cols.values)
    out: list[OutCell] = []
    for r_index, row in enumerate(rows):
        groups: list[list] = []  # [col0, col1, items]
        for a, b, y, ln, f in sorted(row.items, key=lambda t: (t[0], t[1])):
            if groups and a <= groups[-1][1]:
                groups[-1][1] = max(groups[-1][1], b)
                groups[-1][2].append((y, f, ln))
            else:
                groups.append([a, b, [(y, f, ln)]])
        taken = set()
        y0, y1 = row.box[1], row.box[3]
        for a, b, items in groups:
            items.sort(key=lambda t: (t[0], t[1].x0))
            text = "".join(f.text for _, f, _ in items)
            chars = [ch for _, f, _ in items for ch in f.chars]
            box = union_box(f.box for _, f, ln in items if ln.page == row.page) if any(
                ln.page == row.page for _, _, ln in items) else items[0][1].box
            out.append(OutCell(r_index, r_index, a, b, _clean(text), row.page, box, min_conf(chars)))
            taken.update(range(a, b + 1))
        for c in range(n_cols):
            if c not in taken:
                lo, hi = cols.bounds(c)
                out.append(OutCell(r_index, r_index, c, c, "", row.page, (lo, y0, hi, y1)))
    return OutTable(out)


def _clean(text: str) -> str:
    from .textlines import numeric_text

    return numeric_text(" ".join(text.split()))
