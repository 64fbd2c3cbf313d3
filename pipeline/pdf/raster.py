"""Page images: rendering with pypdfium2, rulings found in the image, rulings erased."""

from __future__ import annotations

from typing import Any

from .model import Segment
from .ocr_engines import Word

DPI = 300
# an A3 page at 300 dpi is 35 megapixels; a page box of 200 x 200 inches would be 3.6 gigapixels
# at 300 dpi (a render bomb): larger pages are rendered at a lower resolution instead
MAX_PIXELS = 50_000_000


def render_scale(width_pt: float, height_pt: float, dpi: int = DPI) -> float:
    """Pixels per point for a page: ``dpi``, or less when the bitmap would exceed MAX_PIXELS."""
    area = max(width_pt, 1.0) * max(height_pt, 1.0)
    fit: float = (MAX_PIXELS / area) ** 0.5
    return min(dpi / 72, fit)


def render(data: bytes, page_number: int, dpi: int = DPI, grayscale: bool = True) -> Any:
    """The page as a numpy array, grey or RGB (the full media box, rotation applied), at most
    MAX_PIXELS (callers scale coordinates by the image's shape, not by ``dpi``)."""
    import numpy as np
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(data)
    try:
        page = doc[page_number - 1]
        page.set_cropbox(*page.get_mediabox())
        width_pt, height_pt = page.get_size()
        bitmap = page.render(scale=render_scale(width_pt, height_pt, dpi), grayscale=grayscale)
        image = np.array(bitmap.to_pil().convert("L" if grayscale else "RGB"))
        page.close()
    finally:
        doc.close()
    return image


def _median_height(words: list[Word]) -> float:
    hs = sorted(w.box[3] - w.box[1] for w in words)
    return hs[len(hs) // 2] if hs else 0.0


def _mask_text(binary: Any, words: list[Word]) -> Any:
    """Blank out confident, ordinary-sized text so that glyph strokes are not taken for rulings.

    A ruling that runs through a word's box (one box over two cells, "1 0") is kept: the columns
    of the box that are inked top to bottom and continue above and below the box are not blanked.
    """
    out = binary.copy()
    limit = 2.5 * _median_height(words)
    h = binary.shape[0]
    for w in words:
        if w.conf < 0.6 or w.box[3] - w.box[1] > limit:
            continue
        x0, y0, x1, y1 = w.box
        dx, dy = (x1 - x0) * 0.08, (y1 - y0) * 0.15
        top, bottom, left, right = int(y0 + dy), int(y1 - dy) + 1, int(x0 + dx), int(x1 - dx) + 1
        if bottom <= top or right <= left:
            continue
        band = binary[top:bottom, left:right] > 0
        above = binary[max(int(y0) - 3, 0), left:right] > 0
        below = binary[min(int(y1) + 3, h - 1), left:right] > 0
        keep = (band.mean(axis=0) > 0.9) & above & below
        saved = out[top:bottom, left:right][:, keep].copy()
        out[top:bottom, left:right] = 0
        out[top:bottom, left:right][:, keep] = saved
    return out


def image_rulings(image: Any, words: list[Word], width_pt: float, height_pt: float, dpi: int = DPI) -> list[Segment]:
    """Horizontal and vertical rulings found in a page image, in PDF points.

    Two passes of morphological opening: short pieces (10 pt) with the recognised text blanked
    out, so that glyph strokes do not count, and long lines (36 pt, longer than any glyph) on the
    untouched image, so that a ruling running through a text box is not cut.
    """
    import numpy as np

    binary = (image < 150).astype(np.uint8) * 255
    sx, sy = width_pt / image.shape[1], height_pt / image.shape[0]
    segs = _lines(_mask_text(binary, words), max(10, int(dpi * 0.14)), dpi, sx, sy, height_pt)
    segs += _lines(binary, int(dpi * 0.5), dpi, sx, sy, height_pt)
    return segs


def _lines(binary: Any, k: int, dpi: int, sx: float, sy: float, height_pt: float) -> list[Segment]:
    import cv2

    segs: list[Segment] = []
    for orient, kernel in (("h", (k, 1)), ("v", (1, k))):
        mask = cv2.morphologyEx(binary, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, kernel))
        n, _, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
        for i in range(1, n):
            x, y, w, h, _area = stats[i]
            if orient == "h" and h <= max(3, dpi // 30) and w >= k:
                segs.append(Segment("h", height_pt - (y + h / 2) * sy, x * sx, (x + w) * sx))
            elif orient == "v" and w <= max(3, dpi // 30) and h >= k:
                segs.append(Segment("v", (x + w / 2) * sx, height_pt - (y + h) * sy, height_pt - y * sy))
    return segs


def erase_rulings(image: Any, dpi: int = DPI) -> Any:
    """The image with its long horizontal and vertical lines painted white (tesseract misreads them)."""
    import cv2
    import numpy as np

    binary = (image < 150).astype(np.uint8) * 255
    k = max(10, int(dpi * 0.14))
    mask = np.zeros_like(binary)
    for kernel in ((k, 1), (1, k)):
        mask |= cv2.morphologyEx(binary, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, kernel))
    mask = cv2.dilate(mask, np.ones((5, 5), np.uint8))
    out = image.copy()
    out[mask > 0] = 255
    return out
