"""Tables from ruling lines: connected rulings → grid → merged cells → characters into cells.

A table is a connected set of horizontal and vertical rulings. Its grid is the distinct
x positions of the vertical rulings and y positions of the horizontal ones. Two neighbouring
grid cells belong to one merged cell when the ruling between them is missing at that spot.
Every character goes to the cell holding its centre; a cell's lines are joined with no
separator.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass

from .model import Box, Char, Segment
from .rulings import SNAP, cluster_positions, merge_segments, nearest_index
from .textlines import cell_text, min_conf

TOUCH = 2.5  # rulings this close count as touching (pt)
OPEN_SIDE = 5.0  # rulings overshooting the outermost crossing line by more than this make an open side


@dataclass(frozen=True, slots=True)
class GridCell:
    row0: int  # first grid row (top = 0)
    row1: int  # last grid row, inclusive
    col0: int
    col1: int
    box: Box
    text: str
    conf: float | None = None
    chars: tuple[Char, ...] = ()


@dataclass(frozen=True, slots=True)
class TableSegment:
    """One ruled table as drawn on one page."""

    page: int
    box: Box
    xs: tuple[float, ...]  # column boundaries, left to right
    ys: tuple[float, ...]  # row boundaries, top to bottom (descending y)
    cells: tuple[GridCell, ...]

    @property
    def nrows(self) -> int:
        return len(self.ys) - 1

    @property
    def top(self) -> float:
        return self.box[3]


class _DSU:
    def __init__(self, n: int):
        self.p = list(range(n))

    def find(self, a: int) -> int:
        p = self.p
        while p[a] != a:
            p[a] = p[p[a]]
            a = p[a]
        return a

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.p[rb] = ra


def _components(hs: list[Segment], vs: list[Segment]) -> list[tuple[list[Segment], list[Segment]]]:
    """Groups of rulings connected through crossings."""
    n_h = len(hs)
    dsu = _DSU(n_h + len(vs))
    order = sorted(range(len(vs)), key=lambda i: vs[i].pos)
    vpos = [vs[i].pos for i in order]
    for hi, h in enumerate(hs):
        lo = bisect_left(vpos, h.start - TOUCH)
        hi_ = bisect_right(vpos, h.end + TOUCH)
        for k in range(lo, hi_):
            vi = order[k]
            v = vs[vi]
            if v.start - TOUCH <= h.pos <= v.end + TOUCH:
                dsu.union(hi, n_h + vi)
    groups: dict[int, tuple[list[Segment], list[Segment]]] = {}
    for i, h in enumerate(hs):
        groups.setdefault(dsu.find(i), ([], []))[0].append(h)
    for i, v in enumerate(vs):
        groups.setdefault(dsu.find(n_h + i), ([], []))[1].append(v)
    return [g for g in groups.values() if g[0] and g[1] and len(g[0]) + len(g[1]) >= 4]


def _covers(segs: list[Segment], at: float) -> bool:
    return any(s.start - TOUCH <= at <= s.end + TOUCH for s in segs)


def _grid(
    hs: list[Segment], vs: list[Segment]
) -> tuple[list[float], list[float], list[list[Segment]], list[list[Segment]]]:
    xs = cluster_positions([v.pos for v in vs], SNAP)
    ys_up = cluster_positions([h.pos for h in hs], SNAP)
    left, right = min(h.start for h in hs), max(h.end for h in hs)
    if xs[0] - left > OPEN_SIDE:
        xs.insert(0, left)
    if right - xs[-1] > OPEN_SIDE:
        xs.append(right)
    bottom, top = min(v.start for v in vs), max(v.end for v in vs)
    if ys_up[0] - bottom > OPEN_SIDE:
        ys_up.insert(0, bottom)
    if top - ys_up[-1] > OPEN_SIDE:
        ys_up.append(top)
    # rulings per grid line
    v_at: list[list[Segment]] = [[] for _ in xs]
    for v in vs:
        v_at[nearest_index(xs, v.pos)].append(v)
    h_at: list[list[Segment]] = [[] for _ in ys_up]
    for h in hs:
        h_at[nearest_index(ys_up, h.pos)].append(h)
    ys = ys_up[::-1]  # top to bottom
    h_at = h_at[::-1]
    return xs, ys, v_at, h_at


def _cells(
    xs: list[float], ys: list[float], v_at: list[list[Segment]], h_at: list[list[Segment]]
) -> list[tuple[int, int, int, int]]:
    c: int | None
    nr, nc = len(ys) - 1, len(xs) - 1
    dsu = _DSU(nr * nc)
    for r in range(nr):
        mid_y = (ys[r] + ys[r + 1]) / 2
        for c in range(nc - 1):
            if not _covers(v_at[c + 1], mid_y):
                dsu.union(r * nc + c, r * nc + c + 1)
    for r in range(nr - 1):
        for c in range(nc):
            mid_x = (xs[c] + xs[c + 1]) / 2
            if not _covers(h_at[r + 1], mid_x):
                dsu.union(r * nc + c, (r + 1) * nc + c)
    members: dict[int, list[tuple[int, int]]] = {}
    for r in range(nr):
        for c in range(nc):
            members.setdefault(dsu.find(r * nc + c), []).append((r, c))
    rects: list[tuple[int, int, int, int]] = []
    for cells in members.values():
        rows = [rc[0] for rc in cells]
        cols = [rc[1] for rc in cells]
        r0, r1, c0, c1 = min(rows), max(rows), min(cols), max(cols)
        if len(cells) == (r1 - r0 + 1) * (c1 - c0 + 1):
            rects.append((r0, r1, c0, c1))
            continue
        # not a rectangle (a ruling missing mid-table): fall back to runs within each row, cut
        # where the row has a ruling of its own (the union may have come round through another row)
        by_row: dict[int, list[int]] = {}
        for r, c in cells:
            by_row.setdefault(r, []).append(c)
        for r, cs in by_row.items():
            cs.sort()
            start = prev = cs[0]
            mid_y = (ys[r] + ys[r + 1]) / 2
            for c in cs[1:] + [None]:
                if c is not None and c == prev + 1 and not _covers(v_at[c], mid_y):
                    prev = c
                    continue
                rects.append((r, r, start, prev))
                if c is not None:
                    start = prev = c
    return rects


def find_tables(page: int, segments: Iterable[Segment], chars: Iterable[Char]) -> tuple[list[TableSegment], list[Char]]:
    """Ruled tables of one page and the characters that lie outside them."""
    merged = merge_segments(segments)
    hs = [s for s in merged if s.orient == "h"]
    vs = [s for s in merged if s.orient == "v"]
    grids = []
    for ghs, gvs in _components(hs, vs):
        xs, ys, v_at, h_at = _grid(ghs, gvs)
        if len(xs) < 2 or len(ys) < 2:
            continue
        if xs[-1] - xs[0] < 20 or ys[0] - ys[-1] < 8:
            continue
        rects = _cells(xs, ys, v_at, h_at)
        if len(rects) < 2:
            continue
        grids.append((xs, ys, rects))
    if not grids:
        return [], list(chars)
    # owner map per grid: (row, col) -> rect index
    owners = []
    for xs, ys, rects in grids:
        own = {}
        for i, (r0, r1, c0, c1) in enumerate(rects):
            for r in range(r0, r1 + 1):
                for c in range(c0, c1 + 1):
                    own[(r, c)] = i
        owners.append(own)
    buckets: list[list[list[Char]]] = [[[] for _ in g[2]] for g in grids]
    free: list[Char] = []
    neg_ys = [[-y for y in g[1]] for g in grids]
    for ch in chars:
        cx, cy = ch.cx, ch.cy
        placed = False
        for gi, (xs, ys, rects) in enumerate(grids):
            if xs[0] <= cx <= xs[-1] and ys[-1] <= cy <= ys[0]:
                c = min(max(bisect_right(xs, cx) - 1, 0), len(xs) - 2)
                r = min(max(bisect_right(neg_ys[gi], -cy) - 1, 0), len(ys) - 2)
                buckets[gi][owners[gi][(r, c)]].append(ch)
                placed = True
                break
        if not placed:
            free.append(ch)
    tables: list[TableSegment] = []
    for gi, (xs, ys, rects) in enumerate(grids):
        if not any(buckets[gi]):
            continue  # a frame with nothing in it
        cells = []
        for i, (r0, r1, c0, c1) in enumerate(rects):
            chs = buckets[gi][i]
            cells.append(
                GridCell(
                    r0, r1, c0, c1, (xs[c0], ys[r1 + 1], xs[c1 + 1], ys[r0]), cell_text(chs), min_conf(chs), tuple(chs)
                )
            )
        cells.sort(key=lambda c: (c.row0, c.col0))
        tables.append(TableSegment(page, (xs[0], ys[-1], xs[-1], ys[0]), tuple(xs), tuple(ys), tuple(cells)))
    # a "table" whose text sits in one cell only is a framed paragraph: give its text back
    kept = []
    for t in tables:
        if sum(1 for c in t.cells if c.text) <= 1 and len({(c.row0) for c in t.cells}) <= 1:
            free.extend(ch for c in t.cells for ch in c.chars)
        else:
            kept.append(t)
    kept.sort(key=lambda t: -t.top)
    return kept, free
