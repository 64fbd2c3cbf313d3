"""Page furniture: page numbers and running headers/footers, dropped before reading order."""

from __future__ import annotations

import re

from .model import Box
from .textlines import PhysLine

MARGIN_BOTTOM = 0.14  # share of the page height where footers live
MARGIN_TOP = 0.10

_DASHES = r"\-—–―‒_~·•一"
_PAGE_NUMBER = [
    re.compile(rf"^[{_DASHES}\s]*\d{{1,4}}[{_DASHES}\s]*$"),  # 2, -2-, — 2 —, -1-
    re.compile(r"^第\s*\d{1,4}\s*页(\s*[,/]?\s*共\s*\d{1,4}\s*页)?$"),  # 第2页, 第2页 共5页
    re.compile(r"^共\s*\d{1,4}\s*页\s*[,]?\s*第\s*\d{1,4}\s*页$"),
    re.compile(r"^\d{1,4}\s*/\s*\d{1,4}$"),  # 2/5
    re.compile(r"^(page|p\.)\s*\d{1,4}(\s*(of|/)\s*\d{1,4})?$", re.I),
]


def is_page_number(text: str) -> bool:
    t = text.strip()
    if not t or not any(ch.isdigit() for ch in t):
        return False
    return any(p.match(t) for p in _PAGE_NUMBER)


def _in_margin(line: PhysLine, height: float) -> str | None:
    if line.box[3] <= height * MARGIN_BOTTOM:
        return "bottom"
    if line.box[1] >= height * (1 - MARGIN_TOP):
        return "top"
    return None


def _shape(text: str) -> str | None:
    """Text with its numbers as "#" (page numbers differ from page to page); None for a line of
    numbers only (a table row near the page edge is no running footer)."""
    shape = re.sub(r"\d+", "#", " ".join(text.split()))
    return shape if shape.replace("#", "").strip() else None


def drop_furniture(
    lines: dict[int, list[PhysLine]], heights: dict[int, float], table_boxes: dict[int, list[Box]] | None = None
) -> dict[int, list[PhysLine]]:
    """Lines without page numbers and without headers/footers repeated across pages.

    A page number is a line in the top or bottom margin that reads like one ("- 2 -", "— 2 —",
    "第2页", "2/5") and has no other text line between it and the page edge. A running header
    or footer is a margin line whose text (digits aside) recurs on at least half of the pages
    (and on two or more).
    """
    table_boxes = table_boxes or {}
    n_pages = len(lines)
    shapes: dict[str, set[int]] = {}
    for page, page_lines in lines.items():
        for line in page_lines:
            if _in_margin(line, heights[page]) and _shape(line.text) is not None:
                shapes.setdefault(_shape(line.text), set()).add(page)  # type: ignore[arg-type]
    repeated = {s for s, pages in shapes.items() if len(pages) >= 2 and len(pages) * 2 >= n_pages}
    out: dict[int, list[PhysLine]] = {}
    for page, page_lines in lines.items():
        h = heights[page]
        boxes = table_boxes.get(page, [])
        keep = []
        for i, line in enumerate(page_lines):
            where = _in_margin(line, h)
            if where is None:
                keep.append(line)
                continue
            if _shape(line.text) in repeated:
                continue
            if is_page_number(line.text) and _outermost(line, page_lines, boxes, where):
                continue
            keep.append(line)
        out[page] = keep
    return out


def _outermost(line: PhysLine, page_lines: list[PhysLine], boxes: list[Box], where: str) -> bool:
    """No other line or table lies between ``line`` and the page edge it is nearest to."""
    if where == "bottom":
        limit = line.box[1]
        return not any(o is not line and o.box[3] <= limit + 0.5 and o.box[1] < limit for o in page_lines) and not any(
            b[1] < limit for b in boxes
        )
    limit = line.box[3]
    return not any(o is not line and o.box[1] >= limit - 0.5 and o.box[3] > limit for o in page_lines) and not any(
        b[3] > limit for b in boxes
    )
