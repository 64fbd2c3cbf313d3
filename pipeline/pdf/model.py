"""Geometry shared by the PDF modules: characters, ruling segments, one page's raw content.

Coordinates are PDF user space in points with the origin at the bottom left of the page (as
pdfminer reports them): ``y`` grows upwards, so "above" means a larger ``y``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Char:
    """One glyph: NFKC text, its box and size; ``conf`` is set for OCR'd glyphs."""

    text: str
    x0: float
    y0: float
    x1: float
    y1: float
    size: float
    conf: float | None = None

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def cy(self) -> float:
        return (self.y0 + self.y1) / 2


@dataclass(frozen=True, slots=True)
class Segment:
    """An axis-aligned ruling: horizontal (``"h"``, at ``y = pos``) or vertical (``"v"``, at ``x = pos``)."""

    orient: str
    pos: float
    start: float
    end: float

    @property
    def length(self) -> float:
        return self.end - self.start


@dataclass(frozen=True, slots=True)
class PageContent:
    """What one page holds before any grouping."""

    number: int  # 1-based
    width: float
    height: float
    chars: tuple[Char, ...]
    segments: tuple[Segment, ...]
    images: int = 0  # image XObjects drawn on the page
    curves: int = 0  # non-ruling vector paths (e.g. glyphs drawn as outlines)
    raw_texts: tuple[str, ...] = field(default=(), repr=False)  # glyph texts as decoded, for the health check
    image_cover: float = 0.0  # share of the page covered by images
    turns: int = 0  # quarter turns applied so that the text reads left to right (locators follow)
    error: str | None = None  # the page could not be read
    too_large: bool = False  # ... because it is over a size limit (error says which)
    ocr: str | None = None  # engine name when the chars come from OCR


Box = tuple[float, float, float, float]


def union_box(boxes: Iterable[Sequence[float]]) -> Box:
    x0 = y0 = float("inf")
    x1 = y1 = float("-inf")
    for b in boxes:
        x0, y0 = min(x0, b[0]), min(y0, b[1])
        x1, y1 = max(x1, b[2]), max(y1, b[3])
    return (x0, y0, x1, y1)


def rounded(box: Box) -> list[float]:
    return [round(v, 2) for v in box]
