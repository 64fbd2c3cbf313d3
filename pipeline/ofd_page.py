"""One OFD page's objects → PDF-style page content: glyphs, ruling segments, placed images.

OFD measures in millimetres from the top left; an object's coordinates are relative to its
``Boundary`` origin after its ``CTM``. The PDF reader's model is points from the bottom left.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any, Callable

from .pdf.chars import normalise_glyph
from .pdf.model import Char, Segment
from .pdf.rulings import AXIS_TOL, MIN_PIECE, THIN

MM = 72 / 25.4  # points per millimetre
DESCENT = 0.12  # share of the em below the baseline (the PDF reader's glyph boxes include it)
_TOKEN = re.compile(r"[A-Za-z]|[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
_NUM = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")


def local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def nums(text: str | None) -> list[float]:
    return [float(v) for v in _NUM.findall(text or "")]


def deltas(text: str | None) -> list[float]:
    """A DeltaX/DeltaY list with its ``g N v`` runs (N advances of v) expanded."""
    out: list[float] = []
    tokens = (text or "").split()
    i = 0
    while i < len(tokens):
        if tokens[i] == "g" and i + 2 < len(tokens):
            try:
                n, v = int(float(tokens[i + 1])), float(tokens[i + 2])
            except ValueError:
                break
            out.extend([v] * max(0, min(n, 100_000)))
            i += 3
            continue
        try:
            out.append(float(tokens[i]))
        except ValueError:
            break
        i += 1
    return out


@dataclass
class PageObjects:
    """What a page draws, already in PDF points (origin bottom left)."""

    width: float
    height: float
    origin: tuple[float, float] = (0.0, 0.0)  # the page box's top left, in mm
    chars: list[Char] = field(default_factory=list)
    raw: list[str] = field(default_factory=list)
    segments: list[Segment] = field(default_factory=list)
    images: list[tuple[str, tuple[float, float, float, float]]] = field(default_factory=list)  # (ResourceID, box pt)
    curves: int = 0

    def point(self, x_mm: float, y_mm: float) -> tuple[float, float]:
        return (x_mm - self.origin[0]) * MM, self.height - (y_mm - self.origin[1]) * MM


def _ctm(el: Any) -> tuple[float, ...]:
    v = nums(el.get("CTM"))
    return tuple(v) if len(v) == 6 else (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


def _mapper(el: Any) -> Callable[[float, float], tuple[float, float]]:
    """Object coordinates → page millimetres: the CTM, then the Boundary's origin."""
    b = nums(el.get("Boundary"))
    bx, by = (b[0], b[1]) if len(b) >= 2 else (0.0, 0.0)
    a, bb, c, d, e, f = _ctm(el)
    return lambda x, y: (bx + a * x + c * y + e, by + bb * x + d * y + f)


def _white(el: Any, name: str) -> bool:
    for child in el:
        if local(child.tag) == name:
            v = nums(child.get("Value"))
            return len(v) == 3 and all(x >= 242 for x in v)
    return False


def add_text(page: PageObjects, el: Any, limit: int) -> None:
    """The glyphs of a TextObject, one Char each, boxed from the baseline and the advances."""
    size_mm = (nums(el.get("Size")) or [0.0])[0]
    a, b, c, d, _, _ = _ctm(el)
    scale = math.sqrt(abs(a * d - b * c)) or 1.0
    size = size_mm * scale * MM
    to_page = _mapper(el)
    x = y = 0.0
    for code in el:
        if local(code.tag) != "TextCode":
            continue
        text = code.text or ""
        x = float(code.get("X", x))
        y = float(code.get("Y", y))
        dx, dy = deltas(code.get("DeltaX")), deltas(code.get("DeltaY"))
        for i, ch in enumerate(text):
            page.raw.append(ch)
            wide = ord(ch) > 0x2E80
            natural = size_mm * (1.0 if wide else 0.55)
            step = dx[i] if i < len(dx) else natural
            glyph = normalise_glyph(ch)
            if glyph and not glyph.isspace():
                px, py = page.point(*to_page(x, y))
                w = min(step, natural) * scale * MM if step > 0 else natural * scale * MM
                page.chars.append(Char(glyph, px, py - DESCENT * size, px + w, py + (1 - DESCENT) * size, size))
            x += step
            y += dy[i] if i < len(dy) else 0.0
        if len(page.chars) > limit:
            raise OverflowError(limit)


def _subpaths(data: str | None) -> list[list[tuple[float, float, bool]]]:
    """Points of each subpath; the flag says the piece ending there is a straight line."""
    tokens = _TOKEN.findall(data or "")
    arity = {"S": 2, "M": 2, "L": 2, "Q": 4, "B": 6, "A": 7, "C": 0}
    out: list[list[tuple[float, float, bool]]] = []
    i = 0
    while i < len(tokens):
        op = tokens[i]
        n = arity.get(op)
        if n is None:
            i += 1
            continue
        try:
            args = [float(t) for t in tokens[i + 1 : i + 1 + n]]
        except ValueError:
            break
        if len(args) < n:
            break
        i += 1 + n
        if op in ("S", "M") or not out:
            if op in ("S", "M"):
                out.append([(args[0], args[1], False)])
                continue
            out.append([(0.0, 0.0, False)])
        cur = out[-1]
        if op == "L":
            cur.append((args[0], args[1], True))
        elif op == "C":
            cur.append((cur[0][0], cur[0][1], True))
        else:
            cur.append((args[-2], args[-1], False))
    return out


def add_path(page: PageObjects, el: Any) -> None:
    """Axis-aligned straight pieces of stroked paths and thin filled shapes, as ruling segments."""
    stroke = el.get("Stroke", "true").lower() != "false" and not _white(el, "StrokeColor")
    fill = el.get("Fill", "false").lower() == "true" and not _white(el, "FillColor")
    if not stroke and not fill:
        return
    to_page = _mapper(el)
    for sub in _subpaths(next((c.text for c in el if local(c.tag) == "AbbreviatedData"), None)):
        pts = [(*page.point(*to_page(x, y)), line) for x, y, line in sub]
        curved = any(not line for _, _, line in pts[1:])
        found = []
        if stroke:
            for (x0, y0, _), (x1, y1, line) in zip(pts, pts[1:]):
                if line:
                    found.extend(_piece(x0, y0, x1, y1))
        if fill and not found and len(pts) > 1:
            xs, ys = [p[0] for p in pts], [p[1] for p in pts]
            found.extend(_thin(min(xs), min(ys), max(xs), max(ys)))
        if not found and curved:
            page.curves += 1
        page.segments.extend(found)


def _piece(x0: float, y0: float, x1: float, y1: float) -> list[Segment]:
    if abs(y1 - y0) <= AXIS_TOL and abs(x1 - x0) >= MIN_PIECE:
        return [Segment("h", (y0 + y1) / 2, min(x0, x1), max(x0, x1))]
    if abs(x1 - x0) <= AXIS_TOL and abs(y1 - y0) >= MIN_PIECE:
        return [Segment("v", (x0 + x1) / 2, min(y0, y1), max(y0, y1))]
    return []


def _thin(x0: float, y0: float, x1: float, y1: float) -> list[Segment]:
    w, h = x1 - x0, y1 - y0
    if h <= THIN and w >= max(MIN_PIECE, h):
        return [Segment("h", (y0 + y1) / 2, x0, x1)]
    if w <= THIN and h >= max(MIN_PIECE, w):
        return [Segment("v", (x0 + x1) / 2, y0, y1)]
    return []


def add_image(page: PageObjects, el: Any) -> None:
    """An ImageObject's resource and the box it fills on the page (its unit square through the CTM)."""
    to_page = _mapper(el)
    corners = [page.point(*to_page(x, y)) for x, y in ((0, 0), (1, 0), (0, 1), (1, 1))]
    xs, ys = [p[0] for p in corners], [p[1] for p in corners]
    box = (min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys))
    if box[2] > 1 and box[3] > 1:
        page.images.append((el.get("ResourceID", ""), box))


def walk(page: PageObjects, el: Any, limit: int) -> None:
    """Every object under a Content, Layer or PageBlock, in drawing order."""
    for child in el:
        name = local(child.tag)
        if name == "TextObject":
            add_text(page, child, limit)
        elif name == "PathObject":
            add_path(page, child)
        elif name == "ImageObject":
            add_image(page, child)
        elif name in ("Layer", "PageBlock", "Content", "CompositeObject"):
            walk(page, child, limit)
