"""Columns of a borderless table: value columns from its numbers (and from header words over a
column no number fills), label columns from the left edges that few labels cross; glued text
split at column boundaries."""
from __future__ import annotations

from dataclasses import dataclass

from .lineclass import NUM, ROW, Zone
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
        cols = [self.n_labels + j for j, (a, b) in enumerate(self.values)
                if f.x0 - 0.5 * size <= (a + b) / 2 <= f.x1 + 0.5 * size]
        if self.n_labels and f.cx < edge:
            cols.extend(range(self._label_col(f.x0 + 0.5 * size), self.n_labels))
        if not cols:
            cx = f.cx
            cols = [min(range(self.n), key=lambda c: abs(sum(self.bounds(c)) / 2 - cx))]
        return min(cols), max(cols)


def value_columns(frag_lines, kinds, zone: Zone) -> list[tuple[float, float]]:
    nums = sorted(((f.x0, f.x1) for frags, k in zip(frag_lines, kinds) if k in (ROW, NUM)
                   for f in frags if f.numeric and f.x0 >= zone.value_left - 0.5), key=lambda v: v[0])
    merged: list[list[float]] = []
    for a, b in nums:
        if merged and a <= merged[-1][1] + 1.0:
            merged[-1][1] = max(merged[-1][1], b)
        else:
            merged.append([a, b])
    return [(a, b) for a, b in merged]


def header_columns(values, header_frags, zone: Zone) -> list[tuple[float, float]]:
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


def _split_where(frag: Fragment, cut) -> list[Fragment]:
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
    return _split_where(frag, lambda prev, ch: ch.x0 - prev.x1 >= SPLIT_GAP * size and any(
        prev.x1 - 0.5 * size <= p <= ch.x0 + 0.5 * size for p in inside))


def split_labels(frag: Fragment, zone: Zone) -> list[Fragment]:
    """Labels in narrow columns sit closer than a column gap: split them at gaps of 0.6 em."""
    return _split_where(frag, lambda prev, ch: ch.x0 - prev.x1 >= 0.6 * max(zone.size, ch.size))


def label_bounds(frag_lines, zone: Zone) -> list[float]:
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
