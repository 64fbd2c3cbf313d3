"""Page images (PNG, JPEG, GIF, TIFF with any number of pages) → Layout, read as a scanned PDF.

An image attachment, a TIFF of scanned pages or the ``<img>`` pages of an article are pages of a
report without a text layer. They are wrapped, one image a page, into an image-only PDF
(pypdfium2; a JPEG keeps its own bytes, other images go in as bitmaps with their colours) and that
PDF goes through :func:`pipeline.pdf.pdf_to_layout`, the route of a scanned PDF. So every
improvement to scan OCR (grid, seals, re-reads) applies to images too, with no second OCR path to
keep in step.

Page size: the image's own resolution when it states a plausible one (100–600 dpi, a scanner's);
else a page-shaped image is taken for a whole A4 page, and any other image (a table screenshot)
for a 96 dpi screen capture. Phone photos state 72 dpi: they are page-shaped, so they become A4.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import replace
from importlib.metadata import version
from typing import TYPE_CHECKING, Any

from .layout import Layout
from .limits import Limits
from .work import announce as announce_work
from .record import ParseError

if TYPE_CHECKING:
    from PIL.Image import Image

IMAGE_FORMATS = ("png", "jpeg", "gif", "tiff")
MAX_PIXELS = 80_000_000  # per image (an A3 page at 600 dpi is 70 M); more is a decompression bomb
A4_PT = (595.28, 841.89)
SCREEN_DPI = 96.0
PAGE_ASPECT = (1.25, 1.6)  # height / width of a portrait page photo or scan (A4: 1.414)
SCANNER_DPI = (100, 600)


def open_frames(data: bytes, limits: Limits, what: str = "image") -> list[Any]:
    """The frames of an image file as loaded Pillow images (a TIFF's pages, a GIF's first frame)."""
    from PIL import Image, ImageSequence, UnidentifiedImageError

    try:
        with warnings.catch_warnings():  # the size is checked below, against MAX_PIXELS
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            im = Image.open(io.BytesIO(data))
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as err:
        raise ParseError(f"corrupt {what}: {' '.join(str(err).split())[:120]}", "corrupt") from None
    frames: list[Any] = []
    try:
        for frame in ImageSequence.Iterator(im):
            if len(frames) >= limits.max_pages:
                raise ParseError(f"{what} has more than {limits.max_pages} pages (the limit)", "too_large")
            w, h = frame.size
            if w * h > MAX_PIXELS:
                raise ParseError(f"{what} is {w}×{h} pixels, more than {MAX_PIXELS // 10**6} M; refusing", "too_large")
            frames.append(_page_ready(frame))
            if im.format == "GIF":
                break  # a GIF's other frames are animation, not pages
    except (OSError, ValueError, SyntaxError, EOFError) as err:
        if not frames:
            raise ParseError(f"corrupt {what}: {' '.join(str(err).split())[:120]}", "corrupt") from None
    return frames


def _page_ready(frame: Any) -> Any:
    """A copy in a mode a PDF bitmap takes (RGB or L), with its resolution and source format."""
    dpi = frame.info.get("dpi")
    fmt = getattr(frame, "format", None)
    out = frame.convert("L" if frame.mode in ("1", "L", "I;16", "I", "F") else "RGB")
    out.info["dpi"] = dpi
    out.info["source_format"] = fmt
    return out


def page_size(width_px: int, height_px: int, dpi: Any) -> tuple[float, float]:
    """The page, in points, that an image of this size and stated resolution stands for."""
    try:
        stated = float(dpi[0]) if dpi else 0.0
    except (TypeError, ValueError, IndexError):
        stated = 0.0
    if SCANNER_DPI[0] <= stated <= SCANNER_DPI[1]:
        return width_px * 72 / stated, height_px * 72 / stated
    portrait = height_px / max(width_px, 1)
    landscape = width_px / max(height_px, 1)
    if PAGE_ASPECT[0] <= portrait <= PAGE_ASPECT[1]:
        scale = A4_PT[0] / width_px
    elif PAGE_ASPECT[0] <= landscape <= PAGE_ASPECT[1]:
        scale = A4_PT[0] / height_px
    else:
        scale = 72 / SCREEN_DPI
    return width_px * scale, height_px * scale


# one page of an image-only PDF: its size in points and the images drawn on it, each with its JPEG
# bytes (embedded as they are) or None, and its box (x, y from the bottom left, width, height)
PagePlan = tuple[float, float, list[tuple[Any, "bytes | None", tuple[float, float, float, float]]]]


def full_page(image: Image, jpeg: bytes | None) -> PagePlan:
    """A page the size :func:`page_size` gives, the image covering it."""
    w_pt, h_pt = page_size(*image.size, image.info.get("dpi"))
    return w_pt, h_pt, [(image, jpeg, (0.0, 0.0, w_pt, h_pt))]


def images_to_pdf(plans: list[PagePlan]) -> bytes:
    """An image-only PDF with one page per plan."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument.new()
    try:
        for w_pt, h_pt, placed in plans:
            page = pdf.new_page(w_pt, h_pt)
            for image, jpeg, (x, y, w, h) in placed:
                obj = pdfium.PdfImage.new(pdf)
                if jpeg is not None:  # the scanner's own JPEG stream, not decoded and encoded again
                    obj.load_jpeg(io.BytesIO(jpeg), inline=False)
                else:
                    obj.set_bitmap(pdfium.PdfBitmap.from_pil(image))
                obj.set_matrix(pdfium.PdfMatrix().scale(w, h).translate(x, y))
                page.insert_obj(obj)
            page.gen_content()
            page.close()
        buf = io.BytesIO()
        pdf.save(buf)
        return buf.getvalue()
    finally:
        pdf.close()


def image_pages(data: bytes, limits: Limits, what: str = "image") -> list[PagePlan]:
    """A page for each frame of one image file."""
    frames = open_frames(data, limits, what)
    if not frames:
        raise ParseError(f"{what} has no pages", "empty")
    plain_jpeg = len(frames) == 1 and frames[0].info.get("source_format") == "JPEG" and data[:3] == b"\xff\xd8\xff"
    return [full_page(frames[0], data)] if plain_jpeg else [full_page(f, None) for f in frames]


def scan_layout(pages: list[PagePlan], limits: Limits) -> Layout:
    """The Layout of page images, read by the scanned-PDF route (OCR)."""
    from .pdf import pdf_to_layout

    if len(pages) > limits.max_pages:
        raise ParseError(f"{len(pages)} page images, more than the limit of {limits.max_pages}", "too_large")
    announce_work(len(pages), len(pages))
    pdf = images_to_pdf(pages)
    return pdf_to_layout(pdf, max_pages=limits.max_pages, timeout_s=limits.budget(len(pages), len(pages)))


def image_to_layout(data: bytes, fmt: str, limits: Limits | None = None) -> Layout:
    """The Layout of one image file (every page of a multi-page TIFF), as format ``fmt``."""
    limits = limits or Limits()
    layout = scan_layout(image_pages(data, limits, fmt.upper()), limits)
    return replace(layout, format=fmt, converter=f"Pillow {version('pillow')} + {layout.converter}")
