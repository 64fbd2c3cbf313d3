"""Turn a PDF into an image-only PDF, as a scanner would: pypdfium2 renders, Pillow writes.

Why this is not ``gongkai.samples.rasterize.rasterize_pdf`` (issue 16: one rasteriser): the two
make different scans, and the OCR tests were tuned on this one. Here the page is rendered in
colour and Pillow's PDF writer stores it as a JPEG (``DCTDecode``, RGB, Pillow's default quality
75), with a page box computed from the pixels (595.68 × 841.92 pt for A4 at 150 dpi);
``rasterize_pdf`` renders grey and stores it losslessly (``FlateDecode``, ``DeviceGray``) on the
original page box (595.28 × 841.89 pt). Swapping one for the other hands the OCR a different image
— no JPEG ringing around the strokes, a 0.07 % different scale — and tesseract, which binarises
the page itself, reads some cells of the fallback test differently. ``pipeline/`` itself has a
single page renderer (``pipeline.pdf.raster.render``, used by ``scanprep.page_image``).
"""

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
