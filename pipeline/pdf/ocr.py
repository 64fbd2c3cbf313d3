"""The OCR route for pages without a usable text layer.

Per page: render at 300 dpi with pypdfium2; one OCR pass over the whole page (RapidOCR, whose
``rapidocr-onnxruntime`` 1.4 wheel ships its Chinese models and works offline, or tesseract
``chi_sim`` as a fallback); the recognised words become pseudo-characters with their
confidence; rulings are found in the image (OpenCV morphology, text masked out first) and the
page then goes through the same grid code as a text PDF. Value cells that did not read as
numbers (or read with low confidence) are read again, digits only, from a crop of the cell;
a cell with ink that still reads as nothing is reported in the warnings and stays blank.
"""
from __future__ import annotations

import re
from dataclasses import replace

from .grid import find_tables
from .model import Char, PageContent
from .ocr_engines import Engine, Word, available_engines, digit_readers, get_engine
from .raster import DPI, erase_rulings, image_rulings, render
from .textlines import has_cjk2, is_numeric

__all__ = ["ocr_page", "get_engine", "available_engines"]

REREAD_BELOW = 0.75  # numeric cells read with less confidence than this are read again
_CONFUSABLE = str.maketrans({"O": "0", "o": "0", "D": "0", "〇": "0", "○": "0", "l": "1", "I": "1", "|": "1",
                             "Z": "2", "S": "5", "B": "8", "g": "9", "q": "9", "，": ".", ",": "."})


_LINE_LIKE = re.compile(r"^[|丨_\-—–~=\[\]!Il]+$")


def clean_words(words: list[Word]) -> list[Word]:
    """Drop recognised "words" that are pieces of rulings ('|', '_', …) or pure noise."""
    return [w for w in words if w.conf >= 0.3 and not _LINE_LIKE.match(w.text.strip())]


def _weights(text: str) -> list[float]:
    return [1.0 if ord(ch) > 0x2E80 else 0.55 for ch in text]


def split_at_rulings(words: list[Word], image, v_lines: list[tuple[float, float, float]]) -> list[Word]:
    """Split words whose box crosses a vertical ruling (one detection over two cells, "0 | 0").

    ``v_lines`` are (x, top, bottom) in pixels. Characters go to the parts in reading order, in
    proportion to the ink on each side of the ruling.
    """
    out: list[Word] = []
    for w in words:
        x0, top, x1, bottom = w.box
        mid = (top + bottom) / 2
        cuts = sorted(x for x, t, b in v_lines if x0 + 3 < x < x1 - 3 and t <= mid <= b)
        text = "".join(ch for ch in w.text if not ch.isspace())
        if not cuts or len(text) < 2:
            out.append(w)
            continue
        band = image[int(top):int(bottom) + 1, int(x0):int(x1) + 1] < 150
        ink = band.sum(axis=0).astype(float)
        for x in cuts:
            lo, hi = int(x - x0) - 4, int(x - x0) + 5
            ink[max(lo, 0):max(hi, 0)] = 0
        edges = [x0, *cuts, x1]
        parts = [ink[int(a - x0):int(b - x0)].sum() for a, b in zip(edges, edges[1:])]
        total = sum(parts) or 1.0
        weights = _weights(text)
        wsum = sum(weights)
        # give characters to parts by cumulative share
        bounds, acc = [], 0.0
        for p in parts:
            acc += p / total
            bounds.append(acc)
        groups: list[list[str]] = [[] for _ in parts]
        acc = 0.0
        for ch, wt in zip(text, weights):
            centre = (acc + wt / 2) / wsum
            acc += wt
            k = next((i for i, bnd in enumerate(bounds) if centre <= bnd + 1e-9), len(parts) - 1)
            groups[k].append(ch)
        for (a, b), chars in zip(zip(edges, edges[1:]), groups):
            if not chars:
                continue
            cols = ink[int(a - x0):int(b - x0)].nonzero()[0]
            left, right = (a + cols[0], a + cols[-1] + 1) if len(cols) else (a, b)
            out.append(Word((left, top, right, bottom), "".join(chars), w.conf))
    return out


def words_to_chars(words: list[Word], width_pt: float, height_pt: float, shape) -> list[Char]:
    """Pseudo-characters: each word's box shared among its characters (CJK full width, others 0.55)."""
    from .chars import normalise_glyph

    sx, sy = width_pt / shape[1], height_pt / shape[0]
    out: list[Char] = []
    for w in words:
        text = "".join(normalise_glyph(ch) for ch in w.text if not ch.isspace())
        if not text:
            continue
        x0, top, x1, bottom = w.box
        y0, y1 = height_pt - bottom * sy, height_pt - top * sy
        size = max((y1 - y0) / 1.15, 1.0)
        weights = _weights(text)
        unit = (x1 - x0) * sx / sum(weights)
        cx0 = x0 * sx
        for ch, wt in zip(text, weights):
            out.append(Char(ch, cx0, y0, cx0 + wt * unit, y1, size, round(w.conf, 4)))
            cx0 += wt * unit
    return out


# ---------------------------------------------------------------------------------------------
# digits-only re-read of value cells


def _ink_box(crop):
    import numpy as np

    dark = crop < 180
    if dark.sum() < max(6, crop.size * 0.002):
        return None
    ys, xs = np.nonzero(dark)
    return xs.min(), ys.min(), xs.max(), ys.max()


def _digits(text: str) -> str:
    t = "".join(text.split()).translate(_CONFUSABLE)
    return t if is_numeric(t) else ""


def _piece(crop):
    """The inked part of a cell crop with a white margin, or None for an empty cell."""
    import numpy as np

    ink = _ink_box(crop)
    if ink is None:
        return None
    x0, y0, x1, y1 = ink
    return np.pad(crop[y0:y1 + 1, x0:x1 + 1], 12, constant_values=255)


def reread_digits(pieces) -> list[tuple[str, float]]:
    """Read value-cell crops as numbers: every digit reader once over all of them; per crop the
    agreed text (its best confidence) or the most confident reading (with the lower confidence)."""
    reads: list[list[tuple[str, float]]] = [[] for _ in pieces]
    for reader in digit_readers():
        try:
            got = reader.read_lines(pieces)
        except Exception:
            continue
        for i, (text, conf) in enumerate(got):
            digits = _digits(text)
            if digits:
                reads[i].append((digits, conf))
    out = []
    for r in reads:
        if not r:
            out.append(("", 0.0))
        elif len({t for t, _ in r}) == 1:
            out.append((r[0][0], max(c for _, c in r)))
        else:
            best = max(r, key=lambda x: x[1])
            out.append((best[0], min(c for _, c in r)))
    return out


def _value_columns(table, first_data: int) -> set[int]:
    """Columns of the data rows that hold no label text (two or more CJK characters)."""
    cols = {k for c in table.cells for k in range(c.col0, c.col1 + 1)}
    labels = {k for c in table.cells if c.row0 >= first_data and has_cjk2(c.text)
              for k in range(c.col0, c.col1 + 1)}
    return cols - labels


def _crop(image, box, width_pt: float, height_pt: float):
    h, w = image.shape
    sx, sy = w / width_pt, h / height_pt
    x0, y0, x1, y1 = box
    inset = 3 + DPI // 100
    top, bottom = int((height_pt - y1) * sy) + inset, int((height_pt - y0) * sy) - inset
    left, right = int(x0 * sx) + inset, int(x1 * sx) - inset
    if bottom - top < 4 or right - left < 4:
        return None
    return image[max(top, 0):min(bottom, h), max(left, 0):min(right, w)]


def reread_cells(page: PageContent, image) -> tuple[PageContent, list[str]]:
    """Re-read value cells that are not numbers; returns the page with corrected glyphs and notes."""
    tables, _ = find_tables(page.number, page.segments, page.chars)
    replace_chars: dict[int, list[Char]] = {}
    drop: set[int] = set()
    notes: list[str] = []
    todo: list[tuple] = []  # (cell, piece)
    for table in tables:
        first_data = min((c.row0 for c in table.cells if is_numeric(c.text)), default=None)
        if first_data is None:
            continue
        values = _value_columns(table, first_data)
        for cell in table.cells:
            if cell.col0 != cell.col1 or cell.col0 not in values or cell.row0 < first_data:
                continue
            numeric = bool(is_numeric(cell.text))
            if numeric and (cell.conf is None or cell.conf >= REREAD_BELOW):
                continue
            if has_cjk2(cell.text):
                continue  # a label, not a value
            crop = _crop(image, cell.box, page.width, page.height)
            piece = _piece(crop) if crop is not None else None
            if piece is not None:  # no ink: a blank cell
                todo.append((cell, piece))
    for (cell, _), (text, conf) in zip(todo, reread_digits([p for _, p in todo])):
        numeric = bool(is_numeric(cell.text))
        if not text:
            if not numeric:
                notes.append(f"page {page.number}: unreadable value cell at "
                             f"[{', '.join(f'{v:.0f}' for v in cell.box)}] (OCR read {cell.text!r})")
            continue
        if numeric and text == cell.text:
            conf = max(conf, cell.conf or 0.0)
        elif numeric:
            if conf <= (cell.conf or 0.0):
                continue
            conf = min(conf, cell.conf or 0.0)
        for ch in cell.chars:
            drop.add(id(ch))
        x0, y0, x1, y1 = cell.box
        cy, size = (y0 + y1) / 2, min(8.0, (y1 - y0) * 0.6)
        step = size * 0.5
        start = (x0 + x1) / 2 - step * len(text) / 2
        replace_chars[id(cell)] = [Char(ch, start + i * step, cy - size / 2, start + (i + 1) * step, cy + size / 2,
                                        size, round(conf, 4)) for i, ch in enumerate(text)]
    if not replace_chars:
        return page, notes
    chars = [c for c in page.chars if id(c) not in drop]
    for new in replace_chars.values():
        chars.extend(new)
    return replace(page, chars=tuple(chars)), notes


def ocr_page(data: bytes, page: PageContent, engine: Engine) -> tuple[PageContent, list[str]]:
    """The page's content recognised from its image, and notes on cells that could not be read."""
    image = render(data, page.number)
    words = clean_words(engine.recognise(erase_rulings(image) if engine.erase_rulings else image))
    segs = image_rulings(image, words, page.width, page.height)
    sx, sy = image.shape[1] / page.width, image.shape[0] / page.height
    v_lines = [(s.pos * sx, (page.height - s.end) * sy, (page.height - s.start) * sy) for s in segs if s.orient == "v"]
    chars = words_to_chars(split_at_rulings(words, image, v_lines), page.width, page.height, image.shape)
    ocred = replace(page, chars=tuple(chars), segments=tuple(segs) + tuple(page.segments), ocr=engine.label)
    return reread_cells(ocred, image)
