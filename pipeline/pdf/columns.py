"""Columns of a borderless table: value columns from its numbers (and from header words over a
column no number fills), label columns from the left edges that few labels cross; glued text
split at column boundaries."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from .lineclass import NUM, ROW, Zone
from .model import Char
from .textlines import Fragment, make_fragment

SPLIT_GAP = 0.25  # a gap of this × size at a column boundary splits glued text


@dataclass(frozen=True, slots=True)
class Columns:
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
        cols = [
            self.n_labels + j
            for j, (a, b) in enumerate(self.values)
            if f.x0 - 0.5 * size <= (a + b) / 2 <= f.x1 + 0.5 * size
        ]
        if self.n_labels and f.cx < edge:
            cols.extend(range(self._label_col(f.x0 + 0.5 * size), self.n_labels))
        if not cols:
            cx = f.cx
            cols = [min(range(self.n), key=lambda c: abs(sum(self.bounds(c)) / 2 - cx))]
        return min(cols), max(cols)


def number_columns(frag_lines: Sequence[Sequence[Fragment]], kinds: list[str], zone: Zone) -> list[tuple[float, float]]:
    """x-ranges of the numbers of row lines and lone-number lines, overlapping ones merged."""
    nums = sorted(
        (
            (f.x0, f.x1)
            for frags, k in zip(frag_lines, kinds)
            if k in (ROW, NUM)
            for f in frags
            if f.numeric and f.x0 >= zone.value_left - 0.5
        ),
        key=lambda v: v[0],
    )
    merged: list[list[float]] = []
    for a, b in nums:
        if merged and a <= merged[-1][1] + 1.0:
            merged[-1][1] = max(merged[-1][1], b)
        else:
            merged.append([a, b])
    return [(a, b) for a, b in merged]


def _overlaps(a: tuple[float, float], b: tuple[float, float]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _separate(spans: list[tuple[float, float]]) -> bool:
    """Two of the x-ranges lie side by side (one ends before another begins)."""
    return bool(spans) and min(b for _, b in spans) < max(a for a, _ in spans) - 0.5


def _merge(spans: Iterable[Any]) -> list[list[float]]:
    out: list[list[float]] = []
    for a, b in sorted(spans):
        if out and a < out[-1][1]:
            out[-1][1] = max(out[-1][1], b)
        else:
            out.append([a, b])
    return out


def header_leaves(
    header: list[tuple[Fragment, float]], nums: list[tuple[float, float]], size: float
) -> list[tuple[float, float]]:
    """x-ranges of the lowest header cells (one per column): header words that do not stand over
    two separate things below them (words of lower header lines, number columns), which a
    spanning header (申请人情况, 行政诉讼) does; a word wrapped in its cell is one range.
    ``header`` holds (fragment, its document position growing downwards: pages apart)."""
    words = [(f, y) for f, y in header if not f.numeric]
    leaves = []
    for f, y in words:
        span = (f.x0, f.x1)
        below = [
            (g.x0, g.x1) for g, gy in words if g is not f and gy > y + 0.3 * size and _overlaps(span, (g.x0, g.x1))
        ]
        below += [n for n in nums if _overlaps(span, n)]
        if not _separate(below):
            leaves.append(span)
    return [(a, b) for a, b in _merge(leaves)]


def value_columns(
    nums: list[tuple[float, float]], header: list[tuple[Fragment, float]], labels: list[Fragment], size: float
) -> list[tuple[float, float]]:
    """The value columns: number columns, widened to the header cell over them, plus header
    cells no number stands under (a column left blank in every row). Header cells over the row
    labels are not value columns: those left of the labels' right edge, and the label column's
    own header (信息内容: the leftmost header cell, left of every number, nearer to the table's
    left edge than to the first number)."""
    heads = header_leaves(header, nums, size)
    if labels:
        right = max(f.x1 for f in labels)
        left = min(f.x0 for f in labels)
        heads = [h for h in heads if (h[0] + h[1]) / 2 > right]
        if heads and nums:
            h, first = heads[0], nums[0][0]
            if h[1] < first and (h[0] + h[1]) / 2 - left < first - (h[0] + h[1]) / 2:
                heads = heads[1:]
    cols = [list(h) for h in heads]
    for n in nums:
        hit = [c for c in cols if _overlaps((c[0], c[1]), n)]
        if len(hit) > 1:
            continue  # a number across two header cells: the cells keep their places
        if hit:
            hit[0][0], hit[0][1] = min(hit[0][0], n[0]), max(hit[0][1], n[1])
        else:
            cols.append(list(n))
    return [(a, b) for a, b in _merge(cols)]


def _split_where(frag: Fragment, cut: Callable[[Char, Char], bool]) -> list[Fragment]:
    """Split a fragment between the glyph pairs for which ``cut(prev, ch)`` holds."""
    parts, cur = [], [frag.chars[0]]
    for prev, ch in zip(frag.chars, frag.chars[1:]):
        if cut(prev, ch):
            parts.append(cur)
            cur = [ch]
        else:
            cur.append(ch)
    parts.append(cur)
    return [make_fragment(p) for p in parts] if len(parts) > 1 else [frag]


def split_at_columns(frag: Fragment, points: list[float], size: float) -> list[Fragment]:
    """Split glued text at column boundaries that fall into a gap between its glyphs."""
    inside = [p for p in points if frag.x0 < p < frag.x1]
    if not inside or len(frag.chars) < 2:
        return [frag]
    return _split_where(
        frag,
        lambda prev, ch: (
            ch.x0 - prev.x1 >= SPLIT_GAP * size and any(prev.x1 - 0.5 * size <= p <= ch.x0 + 0.5 * size for p in inside)
        ),
    )


def split_at_lefts(frag: Fragment, lefts: Sequence[float], size: float) -> list[Fragment]:
    """Split a label at a small gap (0.25 em) where the text after it starts at the left edge of
    other labels: a centred group label run into the sub-label beside it ("(三)不予公4.保护…",
    narrow cell padding), which a word space after "1." does not do."""
    if len(frag.chars) < 2:
        return [frag]
    return _split_where(
        frag,
        lambda prev, ch: ch.x0 - prev.x1 >= 0.25 * max(size, ch.size) and any(abs(ch.x0 - x) <= 1.0 for x in lefts),
    )


def split_labels(frag: Fragment, size: float, gap: float = 0.6) -> list[Fragment]:
    """Labels and header words in narrow columns sit closer than a column gap: split them at
    gaps of ``gap`` em (a CJK word has none)."""
    return _split_where(frag, lambda prev, ch: ch.x0 - prev.x1 >= gap * max(size, ch.size))


def label_bounds(frag_lines: Sequence[Sequence[Fragment]], zone: Zone) -> list[float]:
    """Label column boundaries: x positions with label text on both sides that few labels cross
    (a wide top-level label may span the group and sub-label columns), and where more labels
    start than cross (not the left edge of pieces of centred group labels)."""
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
        near = sum(1 for f in labels if sep - 0.1 <= f.x0 <= x + zone.size)  # labels starting at the edge
        if left >= 2 and right >= 2 and cross <= 0.34 * (left + right) and near > cross:
            if best and sep - best[-1][0] < 2 * zone.size:
                if cross < best[-1][1]:
                    best[-1] = (sep, cross)
                continue
            best.append((sep, cross))
    return [min(f.x0 for f in labels), *(b for b, _ in best), zone.value_left - 0.5]
