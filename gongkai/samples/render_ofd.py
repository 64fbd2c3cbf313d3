"""A sample report as an OFD (GB/T 33190), as a "print to OFD" driver makes one from a PDF.

The report is first laid out by :func:`render_pdf` (so the OFD has the same pages, tables and
rulings as the PDF samples); then every page becomes an OFD ``Content.xml``:

- ``mode="text"``: each run of glyphs on one baseline is a ``TextObject`` with a ``TextCode``
  whose ``DeltaX`` gives the advance of every glyph (runs of equal advances written as
  ``g N v``, as Suwell and Foxit write them), and every ruling is a stroked ``PathObject``;
- ``mode="image"``: each page is a JPEG (a scan: ``dpi``, grey) in ``Res/`` drawn by one
  ``ImageObject`` over the page, the way portals publish scanned reports as OFD.

Coordinates are millimetres from the top left of the page.
"""

from __future__ import annotations

import io
import zipfile
from xml.sax.saxutils import escape

from .model import SampleReport
from .render_pdf import render_pdf

NS = "http://www.ofdspec.org/2016"
MM = 25.4 / 72  # millimetres per point
MODES = ("text", "image")


def _f(v: float) -> str:
    return f"{v:.3f}".rstrip("0").rstrip(".") or "0"


def _delta_x(steps: list[float]) -> str:
    """Advances with runs of three or more equal values written as ``g N v``."""
    out: list[str] = []
    i = 0
    while i < len(steps):
        j = i
        while j + 1 < len(steps) and abs(steps[j + 1] - steps[i]) < 1e-3:
            j += 1
        if j - i + 1 >= 3:
            out.append(f"g {j - i + 1} {_f(steps[i])}")
        else:
            out.extend(_f(s) for s in steps[i : j + 1])
        i = j + 1
    return " ".join(out)


def _runs(chars) -> list[list]:
    """Glyphs grouped into runs on one baseline, left to right, without large gaps."""
    runs: list[list] = []
    for ch in sorted(chars, key=lambda c: (-round(c.y0, 1), c.x0)):
        last = runs[-1][-1] if runs else None
        if (
            last is not None
            and abs(last.y0 - ch.y0) < 0.5
            and abs(last.size - ch.size) < 0.1
            and 0 <= ch.x0 - last.x1 < 2 * ch.size
        ):
            runs[-1].append(ch)
        else:
            runs.append([ch])
    return runs


def _text_objects(chars, height: float, ids) -> list[str]:
    out = []
    for run in _runs(chars):
        size = run[0].size
        x0 = run[0].x0
        base = height - (run[0].y0 + 0.12 * size)  # baseline from the top, in points
        top = base - size
        steps = [b.x0 - a.x0 for a, b in zip(run, run[1:])]
        text = "".join(c.get_text() for c in run)
        width = run[-1].x1 - x0
        out.append(
            f'<ofd:TextObject ID="{next(ids)}" Boundary="{_f(x0 * MM)} {_f(top * MM)} {_f(width * MM + 1)} '
            f'{_f(size * 1.3 * MM)}" Font="1" Size="{_f(size * MM)}"><ofd:FillColor Value="0 0 0"/>'
            f'<ofd:TextCode X="0" Y="{_f(size * MM)}" DeltaX="{_delta_x([s * MM for s in steps])}">'
            f"{escape(text)}</ofd:TextCode></ofd:TextObject>"
        )
    return out


def _path_objects(lines, height: float, ids) -> list[str]:
    out = []
    for (x0, y0), (x1, y1) in lines:
        bx, by = min(x0, x1) * MM, (height - max(y0, y1)) * MM
        path = f"M {_f(x0 * MM - bx)} {_f((height - y0) * MM - by)} L {_f(x1 * MM - bx)} {_f((height - y1) * MM - by)}"
        out.append(
            f'<ofd:PathObject ID="{next(ids)}" Boundary="{_f(bx)} {_f(by)} {_f(abs(x1 - x0) * MM + 0.5)} '
            f'{_f(abs(y1 - y0) * MM + 0.5)}" LineWidth="0.18"><ofd:StrokeColor Value="0 0 0"/>'
            f"<ofd:AbbreviatedData>{path}</ofd:AbbreviatedData></ofd:PathObject>"
        )
    return out


def _pdf_pages(pdf: bytes):
    """(width, height, chars, straight lines) of each page of a PDF, read back with pdfminer."""
    from pdfminer.converter import PDFPageAggregator
    from pdfminer.layout import LTChar, LTCurve, LTLine, LTRect
    from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
    from pdfminer.pdfpage import PDFPage

    rsrc = PDFResourceManager()
    device = PDFPageAggregator(rsrc, laparams=None)  # no layout analysis: glyphs and shapes as drawn
    interp = PDFPageInterpreter(rsrc, device)
    for page in PDFPage.get_pages(io.BytesIO(pdf)):
        interp.process_page(page)
        layout = device.get_result()
        chars, lines = [], []
        for obj in layout:
            if isinstance(obj, LTChar) and obj.get_text().strip():
                chars.append(obj)
            elif isinstance(obj, LTRect):
                x0, y0, x1, y1 = obj.bbox
                lines += [((x0, y0), (x1, y0)), ((x0, y1), (x1, y1)), ((x0, y0), (x0, y1)), ((x1, y0), (x1, y1))]
            elif isinstance(obj, (LTLine, LTCurve)):
                lines.append((obj.pts[0], obj.pts[-1]))
        yield layout.width, layout.height, chars, lines


def _page_images(pdf: bytes, dpi: int, quality: int) -> list[bytes]:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(pdf)
    try:
        out = []
        for i in range(len(doc)):
            image = doc[i].render(scale=dpi / 72, grayscale=True).to_pil().convert("L")
            buf = io.BytesIO()
            image.save(buf, format="JPEG", quality=quality, dpi=(dpi, dpi))
            out.append(buf.getvalue())
        return out
    finally:
        doc.close()


def _content(objects: list[str]) -> str:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><ofd:Page xmlns:ofd="{NS}"><ofd:Content>'
        f'<ofd:Layer ID="0">{"".join(objects)}</ofd:Layer></ofd:Content></ofd:Page>'
    )


def pdf_to_ofd(pdf: bytes, *, mode: str = "text", title: str = "", dpi: int = 200, quality: int = 80) -> bytes:
    """An OFD with the pages of ``pdf``: its glyphs and rulings (``text``) or page scans (``image``)."""
    if mode not in MODES:
        raise ValueError(f"mode must be one of {MODES}, not {mode!r}")
    counter = iter(range(10, 10**9))
    parts: dict[str, bytes | str] = {}
    sizes = []
    media = []
    for n, (w, h, chars, lines) in enumerate(_pdf_pages(pdf)):
        sizes.append((w, h))
        if mode == "text":
            objects = _path_objects(lines, h, counter) + _text_objects(chars, h, counter)
        else:
            objects = [
                f'<ofd:ImageObject ID="{next(counter)}" Boundary="0 0 {_f(w * MM)} {_f(h * MM)}" '
                f'CTM="{_f(w * MM)} 0 0 {_f(h * MM)} 0 0" ResourceID="{1000 + n}"/>'
            ]
        parts[f"Doc_0/Pages/Page_{n}/Content.xml"] = _content(objects)
    if mode == "image":
        for n, jpeg in enumerate(_page_images(pdf, dpi, quality)):
            parts[f"Doc_0/Res/image_{n}.jpg"] = jpeg
            media.append(
                f'<ofd:MultiMedia ID="{1000 + n}" Type="Image" Format="JPEG">'
                f"<ofd:MediaFile>image_{n}.jpg</ofd:MediaFile></ofd:MultiMedia>"
            )
    w, h = sizes[0]
    pages = "".join(f'<ofd:Page ID="{n + 1}" BaseLoc="Pages/Page_{n}/Content.xml"/>' for n in range(len(sizes)))
    parts["Doc_0/Document.xml"] = (
        f'<?xml version="1.0" encoding="UTF-8"?><ofd:Document xmlns:ofd="{NS}"><ofd:CommonData>'
        f"<ofd:MaxUnitID>{next(counter)}</ofd:MaxUnitID><ofd:PageArea><ofd:PhysicalBox>0 0 {_f(w * MM)} "
        f"{_f(h * MM)}</ofd:PhysicalBox></ofd:PageArea><ofd:PublicRes>PublicRes.xml</ofd:PublicRes>"
        f"<ofd:DocumentRes>DocumentRes.xml</ofd:DocumentRes></ofd:CommonData><ofd:Pages>{pages}</ofd:Pages>"
        f"</ofd:Document>"
    )
    parts["Doc_0/PublicRes.xml"] = (
        f'<?xml version="1.0" encoding="UTF-8"?><ofd:Res xmlns:ofd="{NS}" BaseLoc="Res">'
        f'<ofd:Fonts><ofd:Font ID="1" FontName="宋体" FamilyName="宋体"/></ofd:Fonts></ofd:Res>'
    )
    parts["Doc_0/DocumentRes.xml"] = (
        f'<?xml version="1.0" encoding="UTF-8"?><ofd:Res xmlns:ofd="{NS}" BaseLoc="Res">'
        f"<ofd:MultiMedias>{''.join(media)}</ofd:MultiMedias></ofd:Res>"
    )
    parts["OFD.xml"] = (
        f'<?xml version="1.0" encoding="UTF-8"?><ofd:OFD xmlns:ofd="{NS}" Version="1.0" DocType="OFD">'
        f"<ofd:DocBody><ofd:DocInfo><ofd:DocID>0</ofd:DocID><ofd:Title>{escape(title)}</ofd:Title>"
        f"</ofd:DocInfo><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>"
    )
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name in ("OFD.xml", *sorted(k for k in parts if k != "OFD.xml")):
            body = parts[name]
            zf.writestr(
                zipfile.ZipInfo(name, (2020, 1, 1, 0, 0, 0)),
                body.encode("utf-8") if isinstance(body, str) else body,
                compress_type=zipfile.ZIP_DEFLATED,
            )
    return buf.getvalue()


def render_ofd(
    report: SampleReport, *, mode: str = "text", style: str = "ruled", dpi: int = 200, quality: int = 80
) -> bytes:
    """The report as an OFD: text objects and rulings, or page scans (``mode="image"``)."""
    return pdf_to_ofd(render_pdf(report, style=style), mode=mode, title=report.title, dpi=dpi, quality=quality)
