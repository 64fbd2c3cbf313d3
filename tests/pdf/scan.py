"""Turn a PDF into an image-only PDF, as a scanner would: pypdfium2 renders, Pillow writes."""

from __future__ import annotations

import io


def rasterise(data: bytes, dpi: int = 150) -> bytes:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(data)
    try:
        images = [doc[i].render(scale=dpi / 72).to_pil().convert("RGB") for i in range(len(doc))]
    finally:
        doc.close()
    buf = io.BytesIO()
    images[0].save(buf, format="PDF", save_all=True, append_images=images[1:], resolution=dpi)
    return buf.getvalue()
