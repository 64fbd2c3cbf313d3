"""An image-only copy of a PDF (a "scanned" report, no text layer) for the OCR tests.

Every page is rendered to a greyscale bitmap (pypdfium2, or poppler's ``pdftoppm`` when pypdfium2
is missing) and placed alone on a page of the original size. The result carries no fonts and no
text operators, so only OCR can read it.
"""

from __future__ import annotations

import io
import subprocess
import tempfile
from pathlib import Path

from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas


def rasterize_pdf(pdf_bytes: bytes, dpi: int = 200) -> bytes:
    pages = _render_pages(pdf_bytes, dpi)
    buf = io.BytesIO()
    c = canvas.Canvas(buf, invariant=1, pageCompression=1)
    for image, (w_pt, h_pt) in pages:
        c.setPageSize((w_pt, h_pt))
        c.drawImage(ImageReader(image), 0, 0, width=w_pt, height=h_pt)
        c.showPage()
    c.save()
    return buf.getvalue()


def _render_pages(pdf_bytes: bytes, dpi: int):
    try:
        import pypdfium2 as pdfium
    except ImportError:  # pragma: no cover - pypdfium2 is a project dependency
        return _render_with_poppler(pdf_bytes, dpi)
    doc = pdfium.PdfDocument(pdf_bytes)
    try:
        out = []
        for i in range(len(doc)):
            page = doc[i]
            w_pt, h_pt = page.get_size()
            bitmap = page.render(scale=dpi / 72.0, grayscale=True)
            out.append((bitmap.to_pil().convert("L"), (w_pt, h_pt)))
            page.close()
        return out
    finally:
        doc.close()


def _render_with_poppler(pdf_bytes: bytes, dpi: int):
    from PIL import Image

    with tempfile.TemporaryDirectory(prefix="gongkai-raster-") as tmp:
        src = Path(tmp) / "in.pdf"
        src.write_bytes(pdf_bytes)
        subprocess.run(
            ["pdftoppm", "-r", str(dpi), "-gray", "-png", str(src), str(Path(tmp) / "p")],
            check=True,
            capture_output=True,
            timeout=300,
        )
        out = []
        for png in sorted(Path(tmp).glob("p-*.png"), key=lambda p: int(p.stem.split("-")[-1])):
            image = Image.open(png)
            image.load()
            w_px, h_px = image.size
            out.append((image, (w_px * 72.0 / dpi, h_px * 72.0 / dpi)))
        return out
