"""The cells of a borderless table block.

- fragments on a row line belong to that row; row lines a fraction of a line apart whose numbers
  sit in different columns, or continue numbers that fill their column, are one row (cells
  centred vertically, numbers wrapped in narrow cells);
- a lone number (or a stack of them one under the other: a number wrapped in its cell, 1015⏎7)
  goes under the number above it when it sits right below it, else to the nearer neighbouring
  row that lacks that column;
- label fragments one under the other form a label paragraph (a wrapped label); it belongs to
  the row whose line it shares, or to the nearest row; a paragraph covering several rows is a
  merged cell; group labels are then stretched over their sub-label rows (:mod:`groups`);
- lines above the first row line are header rows.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from .columns import (
    Columns,
    label_bounds,
    number_columns,
    split_at_columns,
    split_at_lefts,
    split_labels,
    value_columns,
)
from .groups import extend_groups
from .lineclass import NUM, ROW, TEXT, Zone, doc_y, line_kind, zone_of
from .model import Box, union_box
from .tables import ENUM, OutCell, OutTable
from .textlines import Fragment, PhysLine, min_conf, numeric_text


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


def build_table(lines: list[PhysLine], first_row: int, zone: Zone | None = None) -> OutTable | None:
    """One borderless table from its block of lines (``first_row`` indexes the first row line;
    ``zone`` is given for a table without numbers, whose columns come from its header). None
    when no value column is found."""
    kinds0 = [line_kind(ln.fragments) for ln in lines]
    zone = zone or zone_of([ln for ln, k in zip(lines, kinds0) if k == ROW])
    size = zone.size
    nums = number_columns([ln.fragments for ln in lines], kinds0, zone)
    frag_lines = _fragments(lines, first_row, zone, nums)
    label_frags = [
        f
        for fs in frag_lines[first_row:]
        for f in fs
        if not f.numeric and f.x1 <= zone.value_left + 0.5 * size and any(_cjk(ch) for ch in f.text)
    ]
    header_words = [
        (f, ln.page * 20000.0 - (f.box[1] + f.box[3]) / 2)
        for ln, fs in zip(lines[:first_row], frag_lines[:first_row])
        for f in fs
    ]
    values = value_columns(nums, header_words, label_frags, size)
    if not values:
        return None  # no value column after all: the lines stay text
    if len(values) > len(nums):  # columns seen only in the header: split glued text at them too
        points = Columns((), tuple(values)).split_points()
        frag_lines = [
            [p for f in fs for p in (split_at_columns(f, points, size) if not f.numeric else [f])] for fs in frag_lines
        ]
    zone = Zone(values[0][0], values[-1][1], size)
    kinds = [line_kind(fs) for fs in frag_lines]
    cols = Columns(tuple(label_bounds(frag_lines, zone)), tuple(values))
    # label lines under the last header line with words over the value columns are body lines (a
    # wrapped label of the first row, a blank first row)
    while (
        first_row > 0
        and (kinds[first_row - 1] == NUM or (kinds[first_row - 1] == TEXT and zone.label_only(lines[first_row - 1])))
        and any(zone.header_like(ln) for ln in lines[: first_row - 1])
    ):
        first_row -= 1
    header = _header_rows(lines, frag_lines, first_row, cols, size)
    rows, row_of = _group_rows(lines, frag_lines, kinds, first_row, cols, size)
    labels, stacks, others = _sort_items(lines, frag_lines, first_row, cols, size, row_of)
    _attach(rows, labels, stacks, others, cols, size)
    all_rows = header + rows
    table = _cells(all_rows, cols, len(header))
    extend_groups(table, all_rows, cols.n_labels, len(header), size)
    return table


def _fragments(
    lines: list[PhysLine], first_row: int, zone: Zone, nums: list[tuple[float, float]]
) -> list[list[Fragment]]:
    """Each line's fragments, split at the number columns, at word gaps and at the left edges
    that two or more body labels share."""
    size = zone.size
    points = Columns((), tuple(nums)).split_points()
    frag_lines = [
        [
            p
            for f in ln.fragments
            for p in (split_at_columns(f, points, size) if not f.numeric else [f])
            for p in _split_words(p, i < first_row, zone)
        ]
        for i, ln in enumerate(lines)
    ]
    lefts = Counter(
        round(f.x0)
        for fs in frag_lines[first_row:]
        for f in fs
        if not f.numeric and f.x1 <= zone.value_left + 0.5 * size
    )
    edges = [x for x, n in lefts.items() if n >= 2]
    return [
        [
            p
            for f in fs
            for p in (
                split_at_lefts(f, edges, size)
                if i >= first_row and not f.numeric and f.x1 <= zone.value_left + 0.5 * size
                else [f]
            )
        ]
        for i, fs in enumerate(frag_lines)
    ]


def _header_rows(
    lines: list[PhysLine], frag_lines: list[list[Fragment]], first_row: int, cols: Columns, size: float
) -> list[_Row]:
    """The header lines as rows: a line joins the previous one unless either spans value columns."""
    header: list[_Row] = []
    for ln, frags in zip(lines[:first_row], frag_lines[:first_row]):
        items = [_Item(*cols.span(f, size), doc_y(ln), ln, f) for f in frags]
        spanning = any(it.col1 > it.col0 and it.col1 >= cols.n_labels for it in items)
        if header and not spanning and not header[-1].spanning:
            header[-1].items.extend(items)
            header[-1].box = union_box([header[-1].box, ln.box])
        else:
            header.append(_Row(doc_y(ln), ln.page, ln.box, items, spanning))
    return header


def _sort_items(
    lines: list[PhysLine],
    frag_lines: list[list[Fragment]],
    first_row: int,
    cols: Columns,
    size: float,
    row_of: dict[int, _Row],
) -> tuple[list[tuple[_Item, _Row | None]], list[list[_Item]], list[_Item]]:
    """The body's fragments: labels (with the row of their line, if any) go to ``labels``, the
    others to the row of their line; numbers on no row are stacked by column, text on none kept."""
    labels: list[tuple[_Item, _Row | None]] = []
    stacks: list[list[_Item]] = []
    others: list[_Item] = []
    for i in range(first_row, len(lines)):
        ln, own, y = lines[i], row_of.get(i), doc_y(lines[i])
        for f in frag_lines[i]:
            fy = ln.page * 20000.0 - (f.box[1] + f.box[3]) / 2 if not f.numeric else y
            item = _Item(*cols.span(f, size), fy, ln, f)
            if cols.n_labels and not f.numeric and item.col1 < cols.n_labels:
                labels.append((item, own))
            elif own is not None:
                own.items.append(item)
            elif f.numeric:
                for st in stacks:
                    if (
                        st[-1].col0 == item.col0
                        and st[-1].line.page == ln.page
                        and 0 < y - st[-1].y <= 1.6 * max(ln.size, 1.0)
                    ):
                        st.append(item)
                        break
                else:
                    stacks.append([item])
            else:
                others.append(item)
    return labels, stacks, others


def _attach(
    rows: list[_Row],
    labels: list[tuple[_Item, _Row | None]],
    stacks: list[list[_Item]],
    others: list[_Item],
    cols: Columns,
    size: float,
) -> None:
    """Label paragraphs become rows of their own or join one; stacks and stray text join the nearest."""
    rest = []
    if rows or labels:
        pitch = _pitch(rows, size)
        paras = _paragraphs(labels, size, pitch, _typical_pitch(rows, pitch), cols)
        for para in paras:
            if _own_row(para, rows, min(0.5 * pitch, 0.8 * size), cols.n_labels, labels, size):
                row = _Row(
                    sum(it.y for it, _ in para) / len(para),
                    para[0][0].line.page,
                    union_box(it.frag.box for it, _ in para),
                    [it for it, _ in para],
                )
                rows.insert(sum(1 for r in rows if (r.page, r.y) < (row.page, row.y)), row)
            else:
                rest.append(para)
    if rows:
        for st in stacks:
            _place_stack(st, rows)
        for para in rest:
            _place_paragraph(para, rows)
        for item in others:
            _nearest(rows, item.y, item.line.page).items.append(item)


def _split_words(frag: Fragment, header: bool, zone: Zone) -> list[Fragment]:
    """Labels split at gaps of 0.6 em; header words over the value columns (narrow columns:
    商业 企业 科研 机构 half an em apart) at gaps of 0.35 em."""
    if frag.numeric:
        return [frag]
    if frag.x1 <= zone.value_left + 0.5 * zone.size:
        return split_labels(frag, zone.size)
    return split_labels(frag, zone.size, 0.35) if header else [frag]


def _cjk(ch: str) -> bool:
    return "\u3400" <= ch <= "\u9fff"


def _group_rows(
    lines: list[PhysLine],
    frag_lines: list[list[Fragment]],
    kinds: list[str],
    first_row: int,
    cols: Columns,
    size: float,
) -> tuple[list[_Row], dict[int, _Row]]:
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
        if prev_line is not None and lines[prev_line].page == ln.page and 0 < lines[prev_line].cy - ln.cy <= 1.4 * size:
            joins = all(
                c not in last
                or (last[c].x1 - last[c].x0 >= 0.8 * widest[c] and 0 < last[c].box[1] - f.box[3] + size <= 1.6 * size)
                for c, f in nums
            )
        if joins:
            row = rows[-1]
            row.box = union_box([row.box, ln.box])
            row.y = row.page * 20000.0 - (row.box[1] + row.box[3]) / 2
        else:
            row = _Row(doc_y(ln), ln.page, ln.box)
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
    """The smallest distance between two row lines on one page (a table's row pitch), at least
    1.5 lines (OCR'd glyph boxes jitter, and no two rows sit closer than a line and a half)."""
    d = [b.y - a.y for a, b in zip(rows, rows[1:]) if a.page == b.page and b.y > a.y]
    return max(min(d), 1.5 * size) if d else 2 * size


def _typical_pitch(rows: list[_Row], pitch: float) -> float:
    """The median distance between consecutive row lines on one page (the height of a one-line
    row; ``pitch``, the smallest, may come from a pair of rows drawn closer than the rest)."""
    d = sorted(b.y - a.y for a, b in zip(rows, rows[1:]) if a.page == b.page and b.y > a.y)
    return max(d[len(d) // 2], pitch) if d else pitch


def _paragraphs(
    labels: list[tuple[_Item, _Row | None]], size: float, pitch: float, typical: float, cols: Columns
) -> list[list[tuple[_Item, _Row | None]]]:
    """Label fragments of one column one under the other, closer than the row pitch; or the
    continuation of a wrapped label (see :func:`_wraps_on`)."""
    link = min(1.6 * size, 0.9 * pitch)
    widest: dict[int, float] = {}
    for item, _ in labels:
        widest[item.col0] = max(widest.get(item.col0, 0.0), item.frag.x1)
    # where a label line must end to have filled its column: its text's widest reach, and near the
    # column's right bound (for the last label column, where the numbers begin)
    full = {k: max(w - 1.2 * size, cols.bounds(k)[1] - 2.5 * size) for k, w in widest.items()}
    paras: list[list[tuple[_Item, _Row | None]]] = []
    for item, own in sorted(labels, key=lambda t: (t[0].col0, t[0].y)):
        if paras:
            last, last_own = paras[-1][-1]
            if (
                last.col0 == item.col0
                and last.line.page == item.line.page
                and not ENUM.match(item.frag.text)
                and (
                    0 < item.y - last.y <= link
                    or _wraps_on(last, item, last_own is None or own is None, full[item.col0], size, typical)
                )
            ):
                paras[-1].append((item, own))
                continue
        paras.append([(item, own)])
    return paras


def _wraps_on(upper: _Item, lower: _Item, off_row: bool, full: float, size: float, typical: float) -> bool:
    """``lower`` goes on the label of ``upper``, which was wrapped: ``upper`` reaches ``full`` (the
    right end of its column's text, near the column's bound), one of them is on no row line, and ``lower``
    sits less than a typical row's height below (line spacing inside a cell is less than that, but
    can be more than 0.9 of the row pitch when cells have little padding: 1.5-spaced labels in a
    tight table; a blank row's label sits a whole row's height below)."""
    dy = lower.y - upper.y
    return off_row and upper.frag.x1 >= full and 0 < dy <= 2 * size and dy < 0.95 * typical


def _own_row(
    para: list[tuple[_Item, _Row | None]],
    rows: list[_Row],
    far: float,
    n_labels: int,
    labels: list[tuple[_Item, _Row | None]],
    size: float,
) -> bool:
    """A row label on no row line and farther than ``far`` from every row line: a row left blank
    (no numbers), or one whose only number sits between the lines of its wrapped label. (A label
    wrapped around its row's numbers is centred on them.) A row label reaches the last label
    column, or is a short one in a group column with no sub-label beside it (a group label
    stands beside its sub-labels)."""
    if any(own is not None for _, own in para):
        return False
    right = max(it.col1 for it, _ in para)
    if right != n_labels - 1:
        lo, hi = min(it.y for it, _ in para) - size, max(it.y for it, _ in para) + size
        page = para[0][0].line.page
        if any(it.col0 > right and it.line.page == page and lo <= it.y <= hi for it, _ in labels):
            return False
    y, page = sum(it.y for it, _ in para) / len(para), para[0][0].line.page
    return all(abs(r.y - y) > far for r in rows if r.page == page)


def _place_paragraph(para: list[tuple[_Item, _Row | None]], rows: list[_Row]) -> None:
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


def _cells(rows: list[_Row], cols: Columns, n_header: int) -> OutTable:
    """Cells of every row (``to_row`` of an item indexes body rows, after the header rows)."""
    out: list[OutCell] = []
    covered: set[tuple[int, int]] = set()
    for r_index, row in enumerate(rows):
        groups: list[list[Any]] = []  # [col0, col1, items, row1]
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
