"""What is timed: gongkai's stages and the bare library passes they are compared with (floors).

A method works on one document's bytes (``run``), or on a whole batch (``run_batch``); its result
is then checked outside the timed part (``check(result, doc, data)``), so a benchmark of a parse that fails or reads
the wrong numbers shows it. ``setup`` runs once per process, before the warm-up.
"""

from __future__ import annotations

import io
import math
import zipfile
from dataclasses import dataclass
from typing import Any, Callable

from .corpus import Doc


@dataclass(frozen=True)
class Method:
    name: str
    label: str
    run: Callable[[bytes, Doc, Any], Any] | None = None
    run_batch: Callable[[list[tuple[bytes, Doc]], Any], list[Any]] | None = None
    check: Callable[[Any, Doc, bytes], dict] | None = None
    setup: Callable[[], Any] | None = None


# ---- checks -------------------------------------------------------------------------------------


def _same(a, b) -> bool:
    if a is None or b is None:
        return a is None and b is None
    if isinstance(a, bool) or isinstance(b, bool):
        return False
    return math.isclose(float(a), float(b), rel_tol=0, abs_tol=1e-9)


def check_record(record, doc: Doc, data: bytes = b"") -> dict:
    """How many cells agree with what an honest parser returns for this generated report."""
    if isinstance(record, BaseException):
        return {"error": f"{type(record).__name__}: {record}"[:200]}
    out = {"cells": len(record.cells), "template": record.report.template}
    if doc.expected is not None:
        right = sum(1 for k, v in doc.expected.items() if k in record.cells and _same(record.cells[k].value, v))
        out.update(cells_expected=len(doc.expected), cells_right=right)
    return out


def _check_size(result, doc: Doc, data: bytes = b"") -> dict:
    return {"items": int(result)}


# ---- gongkai --------------------------------------------------------------------------------------


def _parse(data: bytes, doc: Doc, _state):
    from pipeline.api import parse_bytes

    return parse_bytes(data, doc.name)


def _ocr_force(data: bytes, doc: Doc, _state):
    from pipeline.pdf import pdf_to_layout

    return pdf_to_layout(data, ocr="force")


def _check_layout(layout, doc: Doc, data: bytes = b"") -> dict:
    cells = sum(len(line.cells) for line in layout.lines)
    return {"lines": len(layout.lines), "cells": cells}


def _office_batch(items: list[tuple[bytes, Doc]], _state) -> list[Any]:
    """DOC/WPS → DOCX in one LibreOffice start per source format, then the DOCX parse of each."""
    import hashlib

    from pipeline.docx_layout import docx_to_layout
    from pipeline.interpret import interpret
    from pipeline.layout import Layout
    from pipeline.office import convert_batch, soffice_version

    version = soffice_version()
    out: list[Any] = [None] * len(items)
    for ext in sorted({d.fmt for _, d in items}):
        idx = [i for i, (_, d) in enumerate(items) if d.fmt == ext]
        converted = convert_batch([items[i][0] for i in idx], src_ext=ext)
        for i, blob in zip(idx, converted):
            data, doc = items[i]
            if blob is None:
                out[i] = RuntimeError("LibreOffice produced nothing")
                continue
            lay = docx_to_layout(blob, fmt=ext)
            lay = Layout(lay.lines, ext, f"{version} + {lay.converter}", lay.pages, lay.warnings, lay.title_hint)
            out[i] = interpret(lay, sha256=hashlib.sha256(data).hexdigest(), size=len(data))
    return out


# ---- floors ---------------------------------------------------------------------------------------


def _pdfminer_extract_pages(data: bytes, doc: Doc, _state) -> int:
    from pdfminer.high_level import extract_pages

    n = 0
    for page in extract_pages(io.BytesIO(data), laparams=None):
        n += len(page._objs)
    return n


def _pdfminer_interpreter(data: bytes, doc: Doc, _state) -> int:
    """pdfminer's content-stream interpretation without any layout analysis."""
    from pdfminer.converter import PDFPageAggregator
    from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
    from pdfminer.pdfpage import PDFPage

    rsrc = PDFResourceManager()
    device = PDFPageAggregator(rsrc, laparams=None)
    interp = PDFPageInterpreter(rsrc, device)
    n = 0
    for page in PDFPage.get_pages(io.BytesIO(data)):
        interp.process_page(page)
        n += len(device.get_result()._objs)
    return n


def _pypdfium2_text(data: bytes, doc: Doc, _state) -> int:
    import pypdfium2

    pdf = pypdfium2.PdfDocument(data)
    n = 0
    try:
        for i in range(len(pdf)):
            page = pdf[i]
            textpage = page.get_textpage()
            n += len(textpage.get_text_range())
            textpage.close()
            page.close()
    finally:
        pdf.close()
    return n


def _mammoth_html(data: bytes, doc: Doc, _state) -> int:
    import mammoth

    return len(mammoth.convert_to_html(io.BytesIO(data)).value)


def _mammoth_pruned(data: bytes, doc: Doc, _state) -> str:
    import mammoth

    from .prototype import prune_styles

    return mammoth.convert_to_html(io.BytesIO(prune_styles(data))).value


def _check_same_html(html: str, doc: Doc, data: bytes) -> dict:
    """Untimed: the pruned package converts to exactly the HTML of the original one."""
    import mammoth

    return {"items": len(html), "same_html": html == mammoth.convert_to_html(io.BytesIO(data)).value}


def _docx_xml(data: bytes, doc: Doc, _state) -> int:
    """Unzip and parse word/document.xml with lxml, visiting every table cell (no conversion)."""
    import lxml.etree

    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        root = lxml.etree.fromstring(zf.read("word/document.xml"))
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    return sum(1 for _ in root.iter(w + "tc", w + "p"))


def _lxml_html(data: bytes, doc: Doc, _state) -> int:
    import lxml.html

    return sum(1 for _ in lxml.html.document_fromstring(data).iter())


def _rapidocr_setup():
    from rapidocr_onnxruntime import RapidOCR

    return RapidOCR()


def _rapidocr_bare(data: bytes, doc: Doc, engine) -> int:
    """RapidOCR with its default settings on every page rendered at 300 dpi (pypdfium2, greyscale)."""
    import pypdfium2

    pdf = pypdfium2.PdfDocument(data)
    n = 0
    try:
        for i in range(len(pdf)):
            page = pdf[i]
            image = page.render(scale=300 / 72, grayscale=True).to_numpy()
            boxes, _ = engine(image)
            n += len(boxes or ())
            page.close()
    finally:
        pdf.close()
    return n


METHODS: dict[str, Method] = {
    m.name: m
    for m in (
        Method("parse", "gongkai parse_bytes", run=_parse, check=check_record),
        Method("ocr_force", "gongkai pdf_to_layout(ocr='force')", run=_ocr_force, check=_check_layout),
        Method(
            "office_batch",
            "batched LibreOffice (convert_batch) + DOCX parse",
            run_batch=_office_batch,
            check=check_record,
        ),
        Method(
            "pdfminer_extract_pages",
            "pdfminer extract_pages(laparams=None)",
            run=_pdfminer_extract_pages,
            check=_check_size,
        ),
        Method(
            "pdfminer_interpreter",
            "pdfminer interpreter only (PDFPageAggregator, no layout analysis)",
            run=_pdfminer_interpreter,
            check=_check_size,
        ),
        Method("pypdfium2_text", "pypdfium2 get_text_range", run=_pypdfium2_text, check=_check_size),
        Method("mammoth_html", "mammoth convert_to_html", run=_mammoth_html, check=_check_size),
        Method(
            "mammoth_pruned",
            "mammoth after pruning unused styles (prototype, bench/prototype.py)",
            run=_mammoth_pruned,
            check=_check_same_html,
        ),
        Method("docx_xml", "lxml parse of word/document.xml", run=_docx_xml, check=_check_size),
        Method("lxml_html", "lxml.html document_fromstring", run=_lxml_html, check=_check_size),
        Method(
            "rapidocr_bare",
            "RapidOCR defaults on 300 dpi renders",
            run=_rapidocr_bare,
            check=_check_size,
            setup=_rapidocr_setup,
        ),
    )
}
