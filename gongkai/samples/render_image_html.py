"""A sample report as an article page whose report is images: page scans or table screenshots.

County and township portals often paste the report into the article as ``<img>``: a JPEG per
scanned page (``kind="pages"``), or the text as text and each table as a screenshot
(``kind="tables"``: a PNG per table and page it spans, with no stated resolution, as a screen
capture is saved). With ``linked=True`` the page scans are not shown but linked
(``<a href="report_files/page1.jpg">第1页</a>``, or a thumbnail inside the link with
``linked="thumbs"``), as portals that list a scan's pages as image attachments do. Returns the page's HTML and its images by their relative ``src``
(``report_files/…``), to be written beside it or served with it.
"""

from __future__ import annotations

import io
from html import escape

from .grids import blocks
from .model import SampleReport
from .render_html import article_page, paragraph
from .render_pdf import render_pdf, render_table_pdf

KINDS = ("pages", "tables")
FOLDER = "report_files"


def _render(pdf: bytes, dpi: int) -> list:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(pdf)
    try:
        return [doc[i].render(scale=dpi / 72, grayscale=True).to_pil().convert("L") for i in range(len(doc))]
    finally:
        doc.close()


def _crop_to_ink(image, margin: int = 6):
    """The image cut to its drawn part with a small white margin; None for a blank page."""
    import numpy as np

    ink = np.asarray(image) < 200
    rows, cols = ink.any(axis=1).nonzero()[0], ink.any(axis=0).nonzero()[0]
    if not len(rows):
        return None
    box = (
        max(int(cols[0]) - margin, 0),
        max(int(rows[0]) - margin, 0),
        min(int(cols[-1]) + margin + 1, image.width),
        min(int(rows[-1]) + margin + 1, image.height),
    )
    return image.crop(box)


SHOT_DPI = 144  # a screen capture at 150 % scaling (96 dpi × 1.5), the common office laptop


def table_shots(grid, dpi: int = SHOT_DPI) -> list[bytes]:
    """PNG screenshots of one table as the sample PDF prints it, one per page it spans."""
    shots = []
    for page in _render(render_table_pdf(grid), dpi):
        crop = _crop_to_ink(page)
        if crop is not None:
            buf = io.BytesIO()
            crop.save(buf, format="PNG")
            shots.append(buf.getvalue())
    return shots


def _img(src: str, alt: str) -> str:
    return f'<p style="text-align: center;"><img src="{escape(src)}" alt="{escape(alt)}" border="0"/></p>'


def _link(src: str, n: int, thumb: str | None) -> str:
    inner = f'<img src="{escape(thumb)}" alt="第{n}页" width="240"/>' if thumb else f"第{n}页"
    return f'<p><a href="{escape(src)}" target="_blank">{inner}</a></p>'


def _thumb(image) -> bytes:
    small = image.copy()
    small.thumbnail((240, 340))
    buf = io.BytesIO()
    small.save(buf, format="JPEG", quality=60)
    return buf.getvalue()


def render_image_html(
    report: SampleReport,
    *,
    kind: str = "pages",
    dpi: int = 150,
    quality: int = 80,
    shot_dpi: int = SHOT_DPI,
    linked: bool | str = False,
) -> tuple[bytes, dict[str, bytes]]:
    """(the article page, {relative src: image bytes}) of a report printed as images: page scans at
    ``dpi`` (JPEG ``quality``) or table screenshots at ``shot_dpi``; ``linked``: the page scans
    linked rather than shown (``"thumbs"``: each link holds a small thumbnail)."""
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}, not {kind!r}")
    files: dict[str, bytes] = {}
    parts: list[str] = []
    if kind == "pages":
        for n, image in enumerate(_render(render_pdf(report), dpi), start=1):
            buf = io.BytesIO()
            image.save(buf, format="JPEG", quality=quality, dpi=(dpi, dpi))
            src = f"{FOLDER}/page{n}.jpg"
            files[src] = buf.getvalue()
            if not linked:
                parts.append(_img(src, f"第{n}页"))
                continue
            thumb = f"{FOLDER}/thumb{n}.jpg" if linked == "thumbs" else None
            if thumb:
                files[thumb] = _thumb(image)
            parts.append(_link(src, n, thumb))
        return article_page(report, "".join(parts)), files
    tables = 0
    for what, item in blocks(report):
        if what == "table":
            tables += 1
            for k, shot in enumerate(table_shots(item, shot_dpi), start=1):
                src = f"{FOLDER}/table{tables}_{k}.png"
                files[src] = shot
                parts.append(_img(src, "表格"))
        else:
            parts.append(paragraph(item, center=what == "title"))
    return article_page(report, "".join(parts)), files
