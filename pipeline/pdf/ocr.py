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
from typing import Any

from .grid import GridCell, TableSegment, find_tables
from .model import Box, Char, PageContent
from .ocr_engines import Engine, Word, available_engines, get_engine
from .ocr_vote import _CONFUSABLE, read_cells
from .raster import DPI, erase_rulings, image_rulings
from .scanprep import page_image
from .textlines import has_cjk2, is_numeric

__all__ = ["ocr_page", "get_engine", "available_engines"]

REREAD_BELOW = 0.75  # numeric cells read with less confidence than this are read again

_LINE_LIKE = re.compile(r"^[|丨_\-—–~=\[\]!Il]+$")


def clean_words(words: list[Word]) -> list[Word]:
    """Drop recognised "words" that are pieces of rulings ('|', '_', …) or pure noise."""
    return [w for w in words if w.conf >= 0.3 and not _LINE_LIKE.match(w.text.strip())]


def as_digits(words: list[Word]) -> list[Word]:
    """Short Latin "words" that are numbers misread ("o", "1O", "2l"): read as the number, with a
    confidence below the re-read threshold (a ruled cell is then read again, digits only)."""
    out = []
    for w in words:
        text = "".join(w.text.split())
        fixed = text.translate(_CONFUSABLE)
        if (
            fixed != text
            and not is_numeric(text)
            and len(text) <= 15
            and not any(ord(ch) > 0x2E80 for ch in text.replace("〇", "").replace("○", ""))
            and is_numeric(fixed)
            and (any(ch.isdigit() for ch in text) or text in _ZERO_LIKE)
        ):
            w = Word(w.box, fixed, min(w.conf, REREAD_BELOW - 0.01))
        out.append(w)
    return out


_ZERO_LIKE = ("o", "O", "〇", "○", "D", "Q")


def _weights(text: str) -> list[float]:
    return [1.0 if ord(ch) > 0x2E80 else 0.55 for ch in text]


def split_at_rulings(words: list[Word], image: Any, v_lines: list[tuple[float, float, float]]) -> list[Word]:
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
        band = image[int(top) : int(bottom) + 1, int(x0) : int(x1) + 1] < 150
        ink = band.sum(axis=0).astype(float)
        for x in cuts:
            lo, hi = int(x - x0) - 4, int(x - x0) + 5
            ink[max(lo, 0) : max(hi, 0)] = 0
        edges = [x0, *cuts, x1]
        parts = [ink[int(a - x0) : int(b - x0)].sum() for a, b in zip(edges, edges[1:])]
        groups = _share(text, parts)  # characters to parts by their share of the ink
        for (a, b), chars in zip(zip(edges, edges[1:]), groups):
            if not chars:
                continue
            cols = ink[int(a - x0) : int(b - x0)].nonzero()[0]
            left, right = (a + cols[0], a + cols[-1] + 1) if len(cols) else (a, b)
            out.append(Word((left, top, right, bottom), "".join(chars), w.conf))
    return out


WORD_GAP = 0.4  # a blank run this many ems inside a recognised run separates two cells


def _ideographs(text: str) -> bool:
    return all("\u3400" <= ch <= "\u9fff" for ch in text)


_NUMERAL_COMMA = re.compile(r"(?<=[一二三四五六七八九十])[√丶](?=[\u3400-\u9fff])")


def fix_text(text: str) -> str:
    """Common misreads of the enumeration comma: 丶 (a radical, never used in running text) and
    √ after a numeral ("三√本年度办理结果")."""
    return _NUMERAL_COMMA.sub("、", text).replace("丶", "、")


def split_at_gaps(words: list[Word], image: Any) -> list[Word]:
    """Split recognised runs that span blank gaps between table cells, each part boxed to its
    ink: "维持 纠正" whose space-separated parts match the inked runs one to one, or a run of
    ideographs ("结果结果其他尚未" over four narrow columns) whose characters go to the inked runs
    in proportion to their widths. (Punctuation leaves gaps inside ordinary text: other runs are
    kept whole.) Every box is trimmed to its ink: the recogniser's boxes have margins, which
    would close the gaps between narrow columns."""
    out: list[Word] = []
    for w in words:
        parts = w.text.split()
        text = "".join(parts)
        x0, top, x1, bottom = (max(int(round(v)), 0) for v in w.box)
        if x1 - x0 < 4 or bottom - top < 4:
            out.append(w)
            continue
        ink = (image[top:bottom, x0:x1] < 150).sum(axis=0)
        # the em: the box height, or less when the box spans two lines (the width per character)
        em = min(bottom - top, (x1 - x0) / max(len(text), 1)) if _ideographs(text) else bottom - top
        runs = _ink_runs(ink, max(3, WORD_GAP * em))
        if not runs:
            out.append(w)
            continue
        whole = [_fit(image, x0 + runs[0][0], top, x0 + runs[-1][1], bottom, w.text, w.conf)]
        if len(parts) > 1 and len(runs) == len(parts):
            groups = [list(p) for p in parts]
        elif len(text) >= 2 and _ideographs(text) and len(runs) >= 2:
            groups = _share(text, [b - a for a, b in runs])
        else:
            out.extend(whole)
            continue
        if sum(1 for g in groups if g) < 2:
            out.extend(whole)
            continue
        for (a, b), chars in zip(runs, groups):
            if chars:
                out.append(_fit(image, x0 + a, top, x0 + b, bottom, "".join(chars), w.conf))
    return out


def _fit(image: Any, x0: int, top: int, x1: int, bottom: int, text: str, conf: float) -> Word:
    """A word boxed to its ink (rows and columns with dark pixels)."""
    rows = (image[top:bottom, x0:x1] < 150).any(axis=1).nonzero()[0]
    if len(rows):
        top, bottom = top + int(rows[0]), top + int(rows[-1]) + 1
    return Word((x0, top, x1, bottom), text, conf)


def _ink_runs(ink: Any, gap: float) -> list[tuple[int, int]]:
    """Inked column runs [a, b) separated by blank runs of at least ``gap`` columns."""
    cols = ink.nonzero()[0]
    if not len(cols):
        return []
    runs = [[int(cols[0]), int(cols[0]) + 1]]
    for c in cols[1:]:
        if c - runs[-1][1] >= gap:
            runs.append([int(c), int(c) + 1])
        else:
            runs[-1][1] = int(c) + 1
    return [(a, b) for a, b in runs]


def _share(text: str, widths: list[float]) -> list[list[str]]:
    """Characters given to parts by the cumulative share of the parts' widths."""
    total = sum(widths) or 1.0
    bounds, acc = [], 0.0
    for p in widths:
        acc += p / total
        bounds.append(acc)
    weights = _weights(text)
    wsum = sum(weights)
    groups: list[list[str]] = [[] for _ in widths]
    acc = 0.0
    for ch, wt in zip(text, weights):
        centre = (acc + wt / 2) / wsum
        acc += wt
        k = next((i for i, bnd in enumerate(bounds) if centre <= bnd + 1e-9), len(widths) - 1)
        groups[k].append(ch)
    return groups


def words_to_chars(words: list[Word], width_pt: float, height_pt: float, shape: tuple[int, ...]) -> list[Char]:
    """Pseudo-characters: each word's box shared among its characters (CJK full width, others 0.55)."""
    from .chars import normalise_glyph

    sx, sy = width_pt / shape[1], height_pt / shape[0]
    out: list[Char] = []
    for w in words:
        text = fix_text("".join(normalise_glyph(ch) for ch in w.text if not ch.isspace()))
        if not text:
            continue
        x0, top, x1, bottom = w.box
        y0, y1 = height_pt - bottom * sy, height_pt - top * sy
        # boxes are fitted to the ink: ideographs ink ~0.9 em, digits ~0.7 em
        latin = not any(ord(ch) > 0x2E80 for ch in text)
        size = max((y1 - y0) / (0.72 if latin else 0.9), 1.0)
        weights = _weights(text)
        unit = (x1 - x0) * sx / sum(weights)
        cx0 = x0 * sx
        for ch, wt in zip(text, weights):
            out.append(Char(ch, cx0, y0, cx0 + wt * unit, y1, size, round(w.conf, 4)))
            cx0 += wt * unit
    return out


# ---------------------------------------------------------------------------------------------
# digits-only re-read of value cells


def _ink_box(crop: Any) -> tuple[Any, Any, Any, Any] | None:
    import numpy as np

    dark = crop < 180
    # remnants of rulings along the crop's edges (a ruling found a few pixels off) are no ink
    dark[dark.mean(axis=1) > 0.5, :] = False
    dark[:, dark.mean(axis=0) > 0.5] = False
    if dark.sum() < max(6, crop.size * 0.002):
        return None
    ys, xs = np.nonzero(dark)
    return xs.min(), ys.min(), xs.max(), ys.max()


def _piece(crop: Any) -> Any:
    """The inked part of a cell crop with a white margin, or None for an empty cell."""
    import numpy as np

    ink = _ink_box(crop)
    if ink is None:
        return None
    x0, y0, x1, y1 = ink
    # a margin of 0.4 × the ink's height (4–12 px): the recogniser misreads small digits in a
    # wide margin ("11" as "1"), and touches the edge with too little
    pad = int(min(12, max(4, round(0.4 * (y1 - y0 + 1)))))
    return np.pad(crop[y0 : y1 + 1, x0 : x1 + 1], pad, constant_values=255)


def reread_digits(pieces: list[Any]) -> list[tuple[str, float]]:
    """Read value-cell crops as numbers (see ``ocr_vote``): (digits, confidence) per crop."""
    return read_cells(pieces)


def _value_columns(table: TableSegment, first_data: int) -> set[int]:
    """Columns of the data rows that hold no label text (two or more CJK characters), and the
    columns of single numeric cells (section 二 prints a header row between its sub-tables, over
    the same value column)."""
    cols = {k for c in table.cells for k in range(c.col0, c.col1 + 1)}
    labels = {k for c in table.cells if c.row0 >= first_data and has_cjk2(c.text) for k in range(c.col0, c.col1 + 1)}
    numbers = {c.col0 for c in table.cells if c.col0 == c.col1 and c.row0 >= first_data and is_numeric(c.text)}
    return (cols - labels) | numbers


def _crop(image: Any, box: Box, width_pt: float, height_pt: float) -> Any:
    h, w = image.shape
    sx, sy = w / width_pt, h / height_pt
    x0, y0, x1, y1 = box
    inset = 3 + DPI // 100
    top, bottom = int((height_pt - y1) * sy) + inset, int((height_pt - y0) * sy) - inset
    left, right = int(x0 * sx) + inset, int(x1 * sx) - inset
    if bottom - top < 4 or right - left < 4:
        return None
    return image[max(top, 0) : min(bottom, h), max(left, 0) : min(right, w)]


def reread_cells(page: PageContent, image: Any) -> tuple[PageContent, list[str]]:
    """Re-read value cells that are not numbers; returns the page with corrected glyphs and notes."""
    tables, _ = find_tables(page.number, page.segments, page.chars)
    replace_chars: dict[int, list[Char]] = {}
    drop: set[int] = set()
    notes: list[str] = []
    todo: list[tuple[GridCell, Any]] = []  # (cell, piece): every value cell with ink, read again from its crop
    for table in tables:
        first_data = min((c.row0 for c in table.cells if is_numeric(c.text)), default=None)
        if first_data is None:
            continue
        values = _value_columns(table, first_data)
        for cell in table.cells:
            if cell.col0 != cell.col1 or cell.col0 not in values or cell.row0 < first_data:
                continue
            if has_cjk2(cell.text):
                continue  # a label, not a value
            crop = _crop(image, cell.box, page.width, page.height)
            piece = _piece(crop) if crop is not None else None
            if piece is not None:  # no ink: a blank cell
                todo.append((cell, piece))
    page_reads = [(cell.text, cell.conf) if is_numeric(cell.text) else ("", None) for cell, _ in todo]
    for (cell, _), (text, conf) in zip(todo, read_cells([p for _, p in todo], page_reads)):
        if not text:
            if not is_numeric(cell.text):
                notes.append(
                    f"page {page.number}: unreadable value cell at "
                    f"[{', '.join(f'{v:.0f}' for v in cell.box)}] (OCR read {cell.text!r})"
                )
            continue
        for ch in cell.chars:
            drop.add(id(ch))
        x0, y0, x1, y1 = cell.box
        cy, size = (y0 + y1) / 2, min(8.0, (y1 - y0) * 0.6)
        step = size * 0.5
        start = (x0 + x1) / 2 - step * len(text) / 2
        replace_chars[id(cell)] = [
            Char(ch, start + i * step, cy - size / 2, start + (i + 1) * step, cy + size / 2, size, round(conf, 4))
            for i, ch in enumerate(text)
        ]
    if not replace_chars:
        return page, notes
    chars = [c for c in page.chars if id(c) not in drop]
    for new in replace_chars.values():
        chars.extend(new)
    return replace(page, chars=tuple(chars)), notes


def ocr_page(data: bytes, page: PageContent, engine: Engine) -> tuple[PageContent, list[str]]:
    """The page's content recognised from its image, and notes on cells that could not be read."""
    image = page_image(data, page.number)
    words = clean_words(engine.recognise(erase_rulings(image) if engine.erase_rulings else image))
    words = as_digits([replace(w, text=fix_text(w.text)) for w in words])
    segs = image_rulings(image, words, page.width, page.height)
    sx, sy = image.shape[1] / page.width, image.shape[0] / page.height
    v_lines = [(s.pos * sx, (page.height - s.end) * sy, (page.height - s.start) * sy) for s in segs if s.orient == "v"]
    words = split_at_gaps(split_at_rulings(words, image, v_lines), image)
    chars = words_to_chars(words, page.width, page.height, image.shape)
    ocred = replace(page, chars=tuple(chars), segments=tuple(segs) + tuple(page.segments), ocr=engine.label)
    return reread_cells(ocred, image)
