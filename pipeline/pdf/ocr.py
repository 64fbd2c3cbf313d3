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

import importlib.util
import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, replace
from functools import lru_cache

from .grid import find_tables
from .model import Char, PageContent, Segment
from .textlines import is_numeric

DPI = 300
REREAD_BELOW = 0.75  # numeric cells read with less confidence than this are read again
_CJK2 = re.compile(r"[\u3400-\u9fff]{2}")
_CONFUSABLE = str.maketrans({"O": "0", "o": "0", "D": "0", "〇": "0", "○": "0", "l": "1", "I": "1", "|": "1",
                             "Z": "2", "S": "5", "B": "8", "g": "9", "q": "9", "，": ".", ",": "."})


@dataclass(frozen=True, slots=True)
class Word:
    """A recognised text run: pixel box (x0, top, x1, bottom), text, confidence 0..1."""

    box: tuple[float, float, float, float]
    text: str
    conf: float


class Engine:
    name = "ocr"
    version = ""

    def recognise(self, image) -> list[Word]:  # pragma: no cover - interface
        raise NotImplementedError

    def read_line(self, image) -> tuple[str, float]:
        """Read one short crop (no detection); empty text when nothing is recognised."""
        raise NotImplementedError

    @property
    def label(self) -> str:
        return f"{self.name} {self.version}".strip()


class RapidEngine(Engine):
    name = "rapidocr-onnxruntime"

    def __init__(self):
        from importlib.metadata import version

        from rapidocr_onnxruntime import RapidOCR

        self.version = version("rapidocr-onnxruntime")
        threads = max(1, min(2, os.cpu_count() or 1))
        self._ocr = RapidOCR(intra_op_num_threads=threads, inter_op_num_threads=1, max_side_len=2600,
                             print_verbose=False)

    def recognise(self, image) -> list[Word]:
        import numpy as np

        rgb = np.stack([image] * 3, axis=-1) if image.ndim == 2 else image
        res, _ = self._ocr(rgb, use_cls=False, return_word_box=True, text_score=0.3)
        words: list[Word] = []
        for item in res or []:
            quad, text, score = item[0], item[1], float(item[2])
            boxes = item[3] if len(item) > 3 else None
            parts = item[4] if len(item) > 4 else None
            confs = item[5] if len(item) > 5 else None
            if boxes and parts and len(boxes) == len(parts):
                for j, (q, t) in enumerate(zip(boxes, parts)):
                    c = float(confs[j]) if confs and j < len(confs) else score
                    words.append(Word(_quad_box(q), t, c))
            else:
                words.append(Word(_quad_box(quad), text, score))
        return [w for w in words if w.text.strip()]

    def read_line(self, image) -> tuple[str, float]:
        import numpy as np

        rgb = np.stack([image] * 3, axis=-1) if image.ndim == 2 else image
        res, _ = self._ocr(rgb, use_det=False, use_cls=False)
        if not res:
            return "", 0.0
        text, score = res[0][0], float(res[0][1])
        return text, score


class TesseractEngine(Engine):
    name = "tesseract"

    def __init__(self, path: str):
        self.path = path
        out = subprocess.run([path, "--version"], capture_output=True, text=True, timeout=30)
        first = (out.stdout or out.stderr).splitlines()[0] if (out.stdout or out.stderr) else "tesseract"
        self.version = first.split()[-1] if first else ""
        self._env = dict(os.environ, OMP_THREAD_LIMIT="1")

    def _tsv(self, image, args: list[str]) -> list[Word]:
        from PIL import Image

        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "page.png")
            Image.fromarray(image).save(path)
            out = subprocess.run([self.path, path, "stdout", *args, "tsv"], capture_output=True, text=True,
                                 env=self._env, timeout=300)
        words = []
        for row in out.stdout.splitlines()[1:]:
            f = row.split("\t")
            if len(f) < 12 or f[0] != "5" or not f[11].strip():
                continue
            x, y, w, h, conf = int(f[6]), int(f[7]), int(f[8]), int(f[9]), float(f[10])
            words.append(Word((x, y, x + w, y + h), f[11].strip(), max(conf, 0.0) / 100.0))
        return words

    def recognise(self, image) -> list[Word]:
        return self._tsv(image, ["-l", "chi_sim", "--psm", "11"])

    def read_line(self, image) -> tuple[str, float]:
        words = self._tsv(image, ["-l", "eng", "--psm", "7", "-c", "tessedit_char_whitelist=0123456789."])
        if not words:
            return "", 0.0
        return "".join(w.text for w in words), min(w.conf for w in words)


def _quad_box(q) -> tuple[float, float, float, float]:
    xs = [p[0] for p in q]
    ys = [p[1] for p in q]
    return (min(xs), min(ys), max(xs), max(ys))


def _tesseract_path() -> str | None:
    path = shutil.which("tesseract")
    if not path:
        return None
    try:
        out = subprocess.run([path, "--list-langs"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return None
    return path if "chi_sim" in (out.stdout + out.stderr).split() else None


def available_engines() -> list[str]:
    """OCR engines usable on this machine, best first."""
    names = []
    if importlib.util.find_spec("rapidocr_onnxruntime") is not None:
        names.append("rapidocr")
    if _tesseract_path():
        names.append("tesseract")
    return names


@lru_cache(maxsize=1)
def get_engine() -> Engine | None:
    """The best OCR engine that starts, or None when none is installed."""
    for name in available_engines():
        try:
            if name == "rapidocr":
                return RapidEngine()
            path = _tesseract_path()
            if path:
                return TesseractEngine(path)
        except Exception:  # a broken install: try the next engine
            continue
    return None


@lru_cache(maxsize=1)
def _digit_readers() -> tuple[Engine, ...]:
    readers: list[Engine] = []
    path = _tesseract_path()
    if path:
        try:
            readers.append(TesseractEngine(path))
        except Exception:
            pass
    engine = get_engine()
    if isinstance(engine, RapidEngine):
        readers.append(engine)
    return tuple(readers)


# ---------------------------------------------------------------------------------------------
# rendering and rulings


def render(data: bytes, page_number: int, dpi: int = DPI):
    """The page as a grayscale numpy array (the full media box, rotation applied)."""
    import numpy as np
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(data)
    try:
        page = doc[page_number - 1]
        page.set_cropbox(*page.get_mediabox())
        bitmap = page.render(scale=dpi / 72, grayscale=True)
        image = np.array(bitmap.to_pil().convert("L"))
        page.close()
    finally:
        doc.close()
    return image


def _mask_text(binary, words: list[Word]):
    out = binary.copy()
    for w in words:
        x0, y0, x1, y1 = w.box
        dx, dy = (x1 - x0) * 0.08, (y1 - y0) * 0.15
        out[int(y0 + dy):int(y1 - dy) + 1, int(x0 + dx):int(x1 - dx) + 1] = 0
    return out


def image_rulings(image, words: list[Word], width_pt: float, height_pt: float, dpi: int = DPI) -> list[Segment]:
    """Horizontal and vertical rulings found in a page image, in PDF points."""
    import cv2
    import numpy as np

    binary = (image < 150).astype(np.uint8) * 255
    binary = _mask_text(binary, words)
    k = max(10, int(dpi * 0.14))  # 10 pt
    segs: list[Segment] = []
    sx, sy = width_pt / image.shape[1], height_pt / image.shape[0]
    for orient, kernel in (("h", (k, 1)), ("v", (1, k))):
        mask = cv2.morphologyEx(binary, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, kernel))
        n, _, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
        for i in range(1, n):
            x, y, w, h, _area = stats[i]
            if orient == "h" and h <= max(3, dpi // 30) and w >= k:
                yc = height_pt - (y + h / 2) * sy
                segs.append(Segment("h", yc, x * sx, (x + w) * sx))
            elif orient == "v" and w <= max(3, dpi // 30) and h >= k:
                xc = (x + w / 2) * sx
                segs.append(Segment("v", xc, height_pt - (y + h) * sy, height_pt - y * sy))
    return segs


def words_to_chars(words: list[Word], width_pt: float, height_pt: float, shape) -> list[Char]:
    """Pseudo-characters: each word's box split evenly among its characters."""
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
        step = (x1 - x0) * sx / len(text)
        for i, ch in enumerate(text):
            cx0 = x0 * sx + i * step
            out.append(Char(ch, cx0, y0, cx0 + step, y1, size, round(w.conf, 4)))
    return out


# ---------------------------------------------------------------------------------------------
# digits-only re-read of value cells


def _ink_box(crop):
    import numpy as np

    dark = crop < 140
    if dark.sum() < max(6, crop.size * 0.002):
        return None
    ys, xs = np.nonzero(dark)
    return xs.min(), ys.min(), xs.max(), ys.max()


def _digits(text: str) -> str:
    t = "".join(text.split()).translate(_CONFUSABLE)
    return t if is_numeric(t) else ""


def reread_digits(crop) -> tuple[str, float] | None:
    """Read a value cell's crop as a number: the best of the digit readers, None if none reads."""
    import numpy as np

    ink = _ink_box(crop)
    if ink is None:
        return None
    x0, y0, x1, y1 = ink
    pad = 12
    piece = np.pad(crop[y0:y1 + 1, x0:x1 + 1], pad, constant_values=255)
    reads = []
    for reader in _digit_readers():
        try:
            text, conf = reader.read_line(piece)
        except Exception:
            continue
        digits = _digits(text)
        if digits:
            reads.append((digits, conf))
    if not reads:
        return "", 0.0
    texts = {t for t, _ in reads}
    if len(texts) == 1:
        return reads[0][0], max(c for _, c in reads)
    best = max(reads, key=lambda r: r[1])
    return best[0], min(c for _, c in reads)


def _value_columns(table) -> set[int]:
    counts: dict[int, list[int]] = {}
    for c in table.cells:
        if c.col0 == c.col1 and c.text:
            counts.setdefault(c.col0, [0, 0])
            counts[c.col0][0] += 1
            counts[c.col0][1] += bool(_digits(c.text))
    return {col for col, (n, k) in counts.items() if n and k * 2 >= n}


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
    for ti, table in enumerate(tables):
        values = _value_columns(table)
        if not values:
            continue
        first_data = min((c.row0 for c in table.cells if c.col0 in values and _digits(c.text)), default=None)
        if first_data is None:
            continue
        for cell in table.cells:
            if cell.col0 != cell.col1 or cell.col0 not in values or cell.row0 < first_data:
                continue
            numeric = bool(is_numeric(cell.text))
            if numeric and (cell.conf is None or cell.conf >= REREAD_BELOW):
                continue
            if _CJK2.search(cell.text):
                continue  # a label, not a value
            crop = _crop(image, cell.box, page.width, page.height)
            if crop is None:
                continue
            got = reread_digits(crop)
            if got is None:
                continue  # no ink: a blank cell
            text, conf = got
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
            cx = (x0 + x1) / 2
            step = size * 0.5
            start = cx - step * len(text) / 2
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
    words = engine.recognise(image)
    chars = words_to_chars(words, page.width, page.height, image.shape)
    segs = image_rulings(image, words, page.width, page.height)
    ocred = replace(page, chars=tuple(chars), segments=tuple(segs) + tuple(page.segments), ocr=engine.label)
    return reread_cells(ocred, image)
