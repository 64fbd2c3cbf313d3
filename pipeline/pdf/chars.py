"""Read a PDF with pdfminer.six (``laparams=None``: no layout analysis) into raw page content.

Each page gives its characters (NFKC text, ``(cid:N)`` → U+FFFD, fake-bold duplicates dropped),
its ruling segments (see :mod:`rulings`) and a count of images and other vector paths, which
the text-layer health check uses.
"""

from __future__ import annotations

import io
import logging
import time
import unicodedata
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from pdfminer.converter import PDFPageAggregator
from pdfminer.layout import LTChar, LTCurve, LTFigure, LTImage, LTLine, LTRect
from pdfminer.pdfdocument import PDFDocument
from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
from pdfminer.pdfpage import PDFPage
from pdfminer.pdfparser import PDFParser
from pdfminer.pdftypes import PDFStream, resolve1

from ..record import ParseError
from .inflate import inflate_budget
from .model import Char, PageContent, Segment
from .orient import dominant_turns, quarter_turns, turn
from .rulings import shape_segments

REPLACEMENT = "\ufffd"

for _name in ("pdfminer", "pdfminer.pdfpage", "pdfminer.pdfinterp", "pdfminer.converter"):
    logging.getLogger(_name).setLevel(logging.ERROR)


@lru_cache(maxsize=8192)
def normalise_glyph(text: str) -> str:
    """NFKC, with undecodable glyphs (``(cid:N)``) as U+FFFD so their digits never read as numbers."""
    if text.startswith("(cid:") and text.endswith(")"):
        return REPLACEMENT
    return unicodedata.normalize("NFKC", text)


def dedupe_fake_bold(chars: list[Char]) -> list[Char]:
    """Drop a glyph drawn again at nearly the same spot (WPS/Word fake bold, shadow effects)."""
    seen: dict[tuple[str, int, int], list[Char]] = {}
    out: list[Char] = []
    for ch in chars:
        tol = max(0.6, 0.15 * ch.size)
        gx, gy = int(ch.x0 // tol), int(ch.y0 // tol)
        dup = False
        for dx in (-1, 0, 1):
            for dy in (-1, 0, 1):
                for other in seen.get((ch.text, gx + dx, gy + dy), ()):
                    if abs(other.x0 - ch.x0) <= tol and abs(other.y0 - ch.y0) <= tol:
                        dup = True
                        break
                if dup:
                    break
            if dup:
                break
        if not dup:
            seen.setdefault((ch.text, gx, gy), []).append(ch)
            out.append(ch)
    return out


def _slanted(matrix: Sequence[float]) -> bool:
    """Text drawn at an angle that is not a multiple of 90° (a diagonal watermark)."""
    a, b, c, d = matrix[:4]
    rotation = abs(b + c) <= 0.1 * (abs(b) + abs(c)) and abs(a - d) <= 0.1 * (abs(a) + abs(d))
    return rotation and abs(a) > 0.17 * abs(b) and abs(b) > 0.17 * abs(a)  # between ~10° and ~80°


def _walk(container: Any, chars: list[Char], raw: list[str], segs: list[Segment], counts: list[Any]) -> None:
    for obj in container:
        if isinstance(obj, LTChar):
            t = obj.get_text()
            raw.append(t)
            text = normalise_glyph(t)
            if not text or text.isspace():
                continue  # spacing comes from the geometry
            if _slanted(obj.matrix):
                continue
            x0, y0, x1, y1 = obj.x0, obj.y0, obj.x1, obj.y1
            size = obj.size if obj.size > 0 else (y1 - y0)
            chars.append(Char(text, x0, y0, x1, y1, size))
            counts[3][quarter_turns(obj.matrix)] += 1
        elif isinstance(obj, LTFigure):
            _walk(obj, chars, raw, segs, counts)
        elif isinstance(obj, LTImage):
            counts[0] += 1
            counts[2] += max(obj.x1 - obj.x0, 0) * max(obj.y1 - obj.y0, 0)
        elif isinstance(obj, (LTLine, LTRect, LTCurve)):
            found = shape_segments(obj)
            if found:
                segs.extend(found)
            elif isinstance(obj, LTCurve) and not isinstance(obj, (LTLine, LTRect)):
                counts[1] += 1


def _open(data: bytes) -> PDFDocument:
    if not data:
        raise ParseError("empty file: 0 bytes", "empty")
    if not data.lstrip()[:5].startswith(b"%PDF"):
        if b"%PDF" not in data[:1024]:
            raise ParseError("not a PDF: no %PDF header", "corrupt")
    try:
        parser = PDFParser(io.BytesIO(data))
        return PDFDocument(parser, password="")
    except ParseError:
        raise
    except Exception as exc:  # noqa: BLE001 - pdfminer raises many unrelated types for broken files
        name = type(exc).__name__
        if "Password" in name or "Encrypt" in name or "encrypt" in str(exc).lower():
            raise ParseError("encrypted PDF: a password is required to open it", "encrypted") from None
        raise ParseError(f"corrupt PDF: {name}: {_short(exc)}", "corrupt") from None


def _short(exc: Exception) -> str:
    text = " ".join(str(exc).split())
    return text[:160] if text else "unreadable"


def read_pages(
    data: bytes,
    *,
    max_pages: int = 300,
    deadline: float | None = None,
    max_inflated_mb: int = 128,
    max_page_content_mb: int = 2,
) -> list[PageContent]:
    """All pages of a PDF as :class:`PageContent`; bad input raises :class:`ParseError`.

    At most ``max_inflated_mb`` of streams are inflated in all (a flate bomb is ``too_large`` at
    once); a page whose drawing instructions inflate to more than ``max_page_content_mb`` is skipped
    unread (pdfminer interprets about 0.4 MB of them a second; a real report page has < 50 kB)."""
    with inflate_budget(max_inflated_mb << 20):
        return _read_pages(data, max_pages, deadline, max_page_content_mb << 20)


def _content_size(page: PDFPage) -> int:
    """Bytes of the page's content streams once inflated (0 when pdfminer will say what is wrong)."""
    total = 0
    for ref in page.contents or ():
        stream = resolve1(ref)
        if isinstance(stream, PDFStream):
            total += len(stream.get_data())
    return total


def _page_tree(data: bytes, max_pages: int) -> list[Any]:
    """The document's pages (pdfminer's ``PDFPage``), within ``max_pages``."""
    doc = _open(data)
    try:
        pages = list(PDFPage.create_pages(doc))
    except ParseError:
        raise
    except Exception as exc:  # noqa: BLE001 - pdfminer raises many unrelated types for a broken page tree
        raise ParseError(f"corrupt PDF: page tree unreadable ({type(exc).__name__})", "corrupt") from None
    if not pages:
        raise ParseError("PDF has no pages", "empty")
    if len(pages) > max_pages:
        raise ParseError(f"PDF has {len(pages)} pages, more than the limit of {max_pages}", "too_large")
    return pages


def _unread(number: int, error: str, too_large: bool = False) -> PageContent:
    """A page that could not be read: A4-sized, empty, with why."""
    return PageContent(
        number=number, width=595.0, height=842.0, chars=(), segments=(), error=error, too_large=too_large
    )


def _content(number: int, layout: Any) -> PageContent:
    """A page's characters, rulings and counts from pdfminer's layout of it (turned upright)."""
    chars: list[Char] = []
    raw: list[str] = []
    segs: list[Segment] = []
    counts: list[Any] = [0, 0, 0.0, [0, 0, 0, 0]]
    _walk(layout, chars, raw, segs, counts)
    x0, y0, x1, y1 = layout.bbox
    width, height = x1 - x0, y1 - y0
    area = max(width * height, 1.0)
    turns = dominant_turns(counts[3])
    if turns:
        chars, segs, width, height = turn(chars, segs, turns, width, height)
    return PageContent(
        number=number,
        width=width,
        height=height,
        chars=tuple(dedupe_fake_bold(chars)),
        segments=tuple(segs),
        images=counts[0],
        curves=counts[1],
        raw_texts=tuple(raw),
        image_cover=min(counts[2] / area, 1.0),
        turns=turns,
    )


def _read_pages(data: bytes, max_pages: int, deadline: float | None, content_cap: int) -> list[PageContent]:
    pages = _page_tree(data, max_pages)
    rsrc = PDFResourceManager(caching=True)
    device = PDFPageAggregator(rsrc, laparams=None)
    interp = PDFPageInterpreter(rsrc, device)
    out: list[PageContent] = []
    for number, page in enumerate(pages, start=1):
        if deadline is not None and time.monotonic() > deadline:
            raise ParseError(f"timed out reading page {number} of {len(pages)}", "timeout")
        try:
            size = _content_size(page)
            if size > content_cap:
                why = f"{size / 2**20:.0f} MB of drawing instructions, over the limit of {content_cap >> 20} MB"
                out.append(_unread(number, why, too_large=True))
                continue
            interp.process_page(page)
            layout = device.get_result()
        except ParseError:  # over the inflate budget: the whole document is refused
            raise
        except Exception as exc:  # noqa: BLE001 - one broken page must not cost the others
            out.append(_unread(number, f"{type(exc).__name__}: {_short(exc)}"))
            continue
        out.append(_content(number, layout))
    if all(p.error for p in out):
        if any(p.too_large for p in out):
            raise ParseError(
                f"PDF has no page within the limits (page {out[0].number}: {out[0].error}); "
                "see GONGKAI_MAX_PAGE_CONTENT_MB",
                "too_large",
            )
        raise ParseError(f"corrupt PDF: no page readable ({out[0].error})", "corrupt")
    return out


def pdfminer_version() -> str:
    import pdfminer

    return getattr(pdfminer, "__version__", "unknown")
