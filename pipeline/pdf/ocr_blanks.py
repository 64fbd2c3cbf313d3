"""Second look at the value cells of OCR'd tables that came out blank or unreadable.

The page pass of the recogniser misses some short, isolated words (a lone "0" in a wide
borderless table), and a borderless table has no cell crops of its own. Once the tables are
built, every blank or non-numeric value cell of a borderless table on an OCR'd page is cropped from the page image
(its column's x range, its row's height); a crop with ink is read again, digits only, and the
digits join the page as glyphs (replacing a misread such as "Q"); the layout is then built
again. A crop without ink stays blank; one with ink that reads as nothing stays as it was and is
listed in the warnings. A blank cell whose crop holds glyphs the table placed elsewhere is left
alone (nothing was missed there).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any, cast

from ..layout import Line
from .model import Char, PageContent
from .ocr import _piece, reread_digits
from .scanprep import page_image
from .textlines import has_cjk2, is_numeric

PAD_Y = 0.35  # the crop reaches this × the row's height above and below the row's glyphs
MIN_CONF = 0.5  # a re-read less sure than this adds nothing


def _candidates(lines: list[Line], ocr_pages: set[int]) -> list[tuple[int, tuple[float, ...], str]]:
    """(page, bbox, text) of blank or non-numeric value cells of the tables on OCR'd pages: cells
    right of every column that holds label text, in rows at or below the first row with a number
    (in a table without numbers: rows with label text in their first cells only)."""
    tables: dict[int, list[Line]] = {}
    for ln in lines:
        if ln.table is not None:
            tables.setdefault(ln.table, []).append(ln)
    out = []
    for rows in tables.values():
        first = next((i for i, ln in enumerate(rows) if any(is_numeric(c.text) for c in ln.cells)), None)
        body = rows[first:] if first is not None else [ln for ln in rows if _label_only(ln)]
        label_cols = [c.col + c.span - 1 for ln in body for c in ln.cells if c.col is not None and has_cjk2(c.text)]
        edge = max(label_cols, default=-1)
        for ln in body:
            for c in ln.cells:
                loc = c.locator or {}
                if (
                    c.col is None
                    or c.col <= edge
                    or c.span != 1
                    or c.continued
                    or is_numeric(c.text)
                    or has_cjk2(c.text)
                    or loc.get("page") not in ocr_pages
                ):
                    continue
                out.append((loc["page"], tuple(loc["bbox"]), c.text))
    return out


def _ruled(box: tuple[float, ...], page: PageContent) -> bool:
    """A cell with a horizontal ruling along its top or bottom edge."""
    x0, y0, x1, y1 = box
    mid = (x0 + x1) / 2
    return any(
        s.orient == "h" and s.start <= mid <= s.end and (abs(s.pos - y0) <= 3 or abs(s.pos - y1) <= 3)
        for s in page.segments
    )


def _label_only(line: Line) -> bool:
    """A row of a table without numbers: label text in its first cells, the rest empty."""
    cells = sorted((c for c in line.cells if c.col is not None), key=lambda c: cast(int, c.col))
    filled = [i for i, c in enumerate(cells) if c.text.strip()]
    return bool(filled) and filled == list(range(len(filled))) and len(filled) < len(cells)


def _crop(image: Any, box: tuple[float, ...], page: PageContent) -> tuple[Any, Any]:
    h, w = image.shape
    sx, sy = w / page.width, h / page.height
    x0, y0, x1, y1 = box
    pad = PAD_Y * (y1 - y0)
    top, bottom = int((page.height - y1 - pad) * sy), int((page.height - y0 + pad) * sy)
    left, right = int(x0 * sx) + 2, int(x1 * sx) - 2
    if bottom - top < 4 or right - left < 4:
        return None, None
    return image[max(top, 0) : min(bottom, h), max(left, 0) : min(right, w)], (left, top)


def reread_blank_values(
    data: bytes, pages: list[PageContent], lines: list[Line]
) -> tuple[list[PageContent], list[str]]:
    """Pages with the digits of re-read value cells added (the same list when nothing was found),
    and notes on cells with ink that still read as nothing."""
    ocr_pages = {p.number for p in pages if p.ocr}
    todo = _candidates(lines, ocr_pages)
    if not todo:
        return pages, []
    by_number = {p.number: p for p in pages}
    added: dict[int, list[Char]] = {}
    dropped: set[int] = set()
    notes: list[str] = []
    for number in sorted({page for page, _, _ in todo}):
        page = by_number[number]
        image = page_image(data, number)
        h, w = image.shape
        sx, sy = w / page.width, h / page.height
        pieces, where = [], []
        for pg, box, text in todo:
            if pg != number or _ruled(box, page):
                continue  # a ruled table's cells were read again from their grid already
            inside = [ch for ch in page.chars if _holds(box, ch)]
            if bool(inside) != bool(text):
                continue  # glyphs there that the table put elsewhere: nothing was missed
            crop, origin = _crop(image, box, page)
            piece = _piece(crop) if crop is not None else None
            if piece is not None:
                pieces.append(piece)
                where.append((box, text, crop, origin, inside))
        for (box, text, crop, origin, inside), (digits, conf) in zip(where, reread_digits(pieces)):
            if not digits or conf < MIN_CONF:
                if text:  # a printed mark that is no number (a dash) stays as it is
                    continue
                notes.append(f"page {number}: unreadable value cell at [{', '.join(f'{v:.0f}' for v in box)}]")
                continue
            dropped.update(id(ch) for ch in inside)  # a misread ("Q", "o") gives way to the digits
            added.setdefault(number, []).extend(_glyphs(digits, conf, crop, origin, sx, sy, page.height))
    if not added:
        return pages, notes
    return [
        replace(p, chars=tuple(ch for ch in p.chars if id(ch) not in dropped) + tuple(added[p.number]))
        if p.number in added
        else p
        for p in pages
    ], notes


def _holds(box: tuple[float, ...], ch: Char) -> bool:
    x0, y0, x1, y1 = box
    pad = PAD_Y * (y1 - y0)
    return x0 <= ch.cx <= x1 and y0 - pad <= ch.cy <= y1 + pad


def _glyphs(
    text: str, conf: float, crop: Any, origin: tuple[int, int], sx: float, sy: float, height_pt: float
) -> list[Char]:
    """Pseudo-glyphs over the ink of the crop (in page points)."""
    import numpy as np

    ys, xs = np.nonzero(crop < 180)
    left, top = origin
    x0, x1 = (left + xs.min()) / sx, (left + xs.max() + 1) / sx
    y1, y0 = height_pt - (top + ys.min()) / sy, height_pt - (top + ys.max() + 1) / sy
    size = max((y1 - y0) / 0.72, 1.0)  # digits ink ~0.7 em
    step = (x1 - x0) / len(text)
    return [Char(ch, x0 + i * step, y0, x0 + (i + 1) * step, y1, size, round(conf, 4)) for i, ch in enumerate(text)]
