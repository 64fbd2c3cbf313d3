"""Pages whose text runs sideways or upside down, turned so that it reads left to right."""

from __future__ import annotations

import math
from collections.abc import Sequence

from .model import Char, Segment


def quarter_turns(matrix: Sequence[float]) -> int:
    """The text direction of a glyph in quarter turns counter-clockwise (0: left to right)."""
    a, b = matrix[0], matrix[1]
    return round(math.atan2(b, a) / (math.pi / 2)) % 4


def dominant_turns(counts: list[int]) -> int:
    """The quarter turn most glyphs of a page share, when clearly most do (else 0)."""
    total = sum(counts)
    best = max(range(4), key=lambda i: counts[i])
    return best if best and total >= 20 and counts[best] > 0.6 * total else 0


def _point(x: float, y: float, turns: int, w: float, h: float) -> tuple[float, float]:
    if turns == 1:  # text going up: turn the page clockwise
        return y, w - x
    if turns == 3:  # text going down: turn it counter-clockwise
        return h - y, x
    return w - x, h - y  # upside down


def turn(
    chars: list[Char], segs: list[Segment], turns: int, w: float, h: float
) -> tuple[list[Char], list[Segment], float, float]:
    """Chars, segments and the page size after turning the page by ``turns`` quarter turns back."""
    out_chars = []
    for c in chars:
        (ax, ay), (bx, by) = _point(c.x0, c.y0, turns, w, h), _point(c.x1, c.y1, turns, w, h)
        x0, x1, y0, y1 = min(ax, bx), max(ax, bx), min(ay, by), max(ay, by)
        size = (y1 - y0) if turns != 2 else c.size
        out_chars.append(Char(c.text, x0, y0, x1, y1, size, c.conf))
    out_segs = []
    for s in segs:
        if s.orient == "h":
            (ax, ay), (bx, by) = _point(s.start, s.pos, turns, w, h), _point(s.end, s.pos, turns, w, h)
        else:
            (ax, ay), (bx, by) = _point(s.pos, s.start, turns, w, h), _point(s.pos, s.end, turns, w, h)
        if abs(ax - bx) >= abs(ay - by):
            out_segs.append(Segment("h", (ay + by) / 2, min(ax, bx), max(ax, bx)))
        else:
            out_segs.append(Segment("v", (ax + bx) / 2, min(ay, by), max(ay, by)))
    dims = (h, w) if turns in (1, 3) else (w, h)
    return out_chars, out_segs, dims[0], dims[1]
