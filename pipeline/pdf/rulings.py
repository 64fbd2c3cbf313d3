"""Ruling lines: segments from vector shapes, then snapped and merged.

Sources: ``LTLine``; thin ``LTRect`` (WPS draws cell borders as filled hairline rectangles);
the four edges of larger *stroked* rectangles; axis-aligned straight pieces of stroked
``LTCurve`` paths and thin filled polygons. Invisible shapes (white strokes or fills, the
white cell backgrounds WPS paints under every cell) and glyph outlines (paths with Bézier
pieces that are filled, not stroked) are ignored.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable
from typing import Any

from pdfminer.layout import LTCurve, LTLine, LTRect

from .model import Segment

THIN = 3.0  # a rectangle thinner than this (pt) is a line
AXIS_TOL = 0.6  # how far from axis-aligned a piece may be (pt)
MIN_PIECE = 2.0  # shorter pieces are ignored (pt)
SNAP = 2.0  # segments closer than this on the cross axis are one line (pt)
JOIN = 2.5  # collinear segments with a gap below this are joined (pt)


def _is_white(color: Any) -> bool:
    """True for colours that paint nothing visible on a white page."""
    if color is None:
        return False
    if isinstance(color, (int, float)):
        return float(color) >= 0.95
    if isinstance(color, (tuple, list)):
        try:
            vals = [float(v) for v in color]
        except (TypeError, ValueError):
            return False
        if len(vals) == 1 or len(vals) == 3:
            return all(v >= 0.95 for v in vals)
        if len(vals) == 4:  # CMYK
            return all(v <= 0.05 for v in vals)
    return False


def _visible_stroke(obj: Any) -> bool:
    return bool(obj.stroke) and not _is_white(obj.stroking_color) and (obj.linewidth or 0) >= 0


def _visible_fill(obj: Any) -> bool:
    return bool(obj.fill) and not _is_white(obj.non_stroking_color)


def _piece(p: tuple[float, float], q: tuple[float, float]) -> Segment | None:
    (x0, y0), (x1, y1) = p, q
    if abs(y1 - y0) <= AXIS_TOL and abs(x1 - x0) >= MIN_PIECE:
        return Segment("h", (y0 + y1) / 2, min(x0, x1), max(x0, x1))
    if abs(x1 - x0) <= AXIS_TOL and abs(y1 - y0) >= MIN_PIECE:
        return Segment("v", (x0 + x1) / 2, min(y0, y1), max(y0, y1))
    return None


def _thin_box(x0: float, y0: float, x1: float, y1: float) -> Segment | None:
    w, h = x1 - x0, y1 - y0
    if h <= THIN and w >= max(MIN_PIECE, h):
        return Segment("h", (y0 + y1) / 2, x0, x1)
    if w <= THIN and h >= max(MIN_PIECE, w):
        return Segment("v", (x0 + x1) / 2, y0, y1)
    return None


def _box_edges(x0: float, y0: float, x1: float, y1: float) -> list[Segment]:
    return [Segment("h", y0, x0, x1), Segment("h", y1, x0, x1), Segment("v", x0, y0, y1), Segment("v", x1, y0, y1)]


def shape_segments(obj: Any) -> list[Segment]:
    """The ruling segments one pdfminer shape contributes (possibly none)."""
    if isinstance(obj, LTLine):
        if not _visible_stroke(obj):
            return []
        seg = _piece(obj.pts[0], obj.pts[-1])
        return [seg] if seg else []
    if isinstance(obj, LTRect):
        x0, y0, x1, y1 = obj.bbox
        thin = _thin_box(x0, y0, x1, y1)
        if thin is not None:
            return [thin] if (_visible_fill(obj) or _visible_stroke(obj)) else []
        return _box_edges(x0, y0, x1, y1) if _visible_stroke(obj) else []
    if isinstance(obj, LTCurve):
        path = getattr(obj, "original_path", None) or []
        ops = "".join(str(p[0]) for p in path)
        if _visible_stroke(obj):
            return _stroked_pieces(path)
        if _visible_fill(obj) and not any(c in ops for c in "cvy"):
            x0, y0, x1, y1 = obj.bbox
            thin = _thin_box(x0, y0, x1, y1)
            return [thin] if thin else []
    return []


def _stroked_pieces(path: Any) -> list[Segment]:
    out: list[Segment] = []
    start = cur = None
    for op in path:
        kind = op[0]
        if kind != "h" and not (len(op) > 1 and isinstance(op[-1], tuple)):
            continue  # not pdfminer's (operator, point, ...) form
        if kind == "m":
            start = cur = op[-1]
        elif kind == "l" and cur is not None:
            seg = _piece(cur, op[-1])
            if seg:
                out.append(seg)
            cur = op[-1]
        elif kind == "h" and cur is not None and start is not None:
            seg = _piece(cur, start)
            if seg:
                out.append(seg)
            cur = start
        elif kind in ("c", "v", "y"):
            cur = op[-1]
    return out


def cluster_positions(values: list[float], tol: float) -> list[float]:
    """Representative positions of values that lie within ``tol`` of their neighbour."""
    if not values:
        return []
    values = sorted(values)
    groups = [[values[0]]]
    for v in values[1:]:
        if v - groups[-1][-1] <= tol:
            groups[-1].append(v)
        else:
            groups.append([v])
    return [sum(g) / len(g) for g in groups]


def merge_segments(segments: Iterable[Segment]) -> list[Segment]:
    """Snap near-collinear segments onto one position and join overlapping or touching ones."""
    out: list[Segment] = []
    for orient in ("h", "v"):
        segs = sorted((s for s in segments if s.orient == orient), key=lambda s: s.pos)
        # group by position (chain within SNAP)
        groups: list[list[Segment]] = []
        for s in segs:
            if groups and s.pos - groups[-1][-1].pos <= SNAP:
                groups[-1].append(s)
            else:
                groups.append([s])
        for g in groups:
            pos = sum(s.pos * max(s.length, 0.1) for s in g) / sum(max(s.length, 0.1) for s in g)
            spans = sorted((s.start, s.end) for s in g)
            a, b = spans[0]
            for s0, s1 in spans[1:]:
                if s0 <= b + JOIN:
                    b = max(b, s1)
                else:
                    out.append(Segment(orient, pos, a, b))
                    a, b = s0, s1
            out.append(Segment(orient, pos, a, b))
    return out


def nearest_index(positions: list[float], value: float) -> int:
    """Index of the sorted position nearest to ``value``."""
    i = bisect_left(positions, value)
    if i == 0:
        return 0
    if i == len(positions):
        return len(positions) - 1
    return i if positions[i] - value < value - positions[i - 1] else i - 1
