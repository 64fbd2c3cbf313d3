"""bytes → Record: sniff the format, convert to a Layout, interpret.

:func:`parse_bytes` is the pure entry point (structural limits only); :func:`parse_guarded` runs it
in a watched child process that also bounds memory and wall-clock time (``pipeline.limits``).
"""
from __future__ import annotations

import hashlib
import importlib
import io
from dataclasses import replace
from pathlib import Path, PurePosixPath
from typing import Mapping

from .layout import Layout
from .limits import Limits, announce_work, run_guarded
from .record import ParseError, Record
from .images import IMAGE_FORMATS
from .sniff import sniff

# what a file name promises, to say so when the bytes are something else
_EXTENSIONS = {".pdf": "pdf", ".docx": "docx", ".doc": "doc", ".wps": "wps", ".txt": "txt",
               ".html": "html", ".htm": "html", ".shtml": "html", ".xhtml": "html", ".ofd": "ofd",
               ".png": "png", ".jpg": "jpeg", ".jpeg": "jpeg", ".tif": "tiff", ".tiff": "tiff", ".gif": "gif"}
# modules a format needs: imported before a fork so that each child does not import them again
_PRELOAD = {"txt": ("pipeline.text_layout",), "html": ("pipeline.html_layout",),
            "docx": ("pipeline.docx_layout", "mammoth"), "doc": ("pipeline.docx_layout", "mammoth", "pipeline.office"),
            "wps": ("pipeline.docx_layout", "mammoth", "pipeline.office"), "pdf": ("pipeline.pdf",),
            "ofd": ("pipeline.ofd", "pipeline.pdf"), **{f: ("pipeline.images", "pipeline.pdf") for f in IMAGE_FORMATS}}


def to_layout(data: bytes, name: str = "", limits: Limits | None = None,
              assets: Mapping[str, bytes] | None = None) -> Layout:
    """The Layout of a document, by the format its bytes show (the name only breaks DOC/WPS ties).
    ``assets``: the images of an HTML page by their ``src`` (see :mod:`pipeline.html_images`)."""
    limits = limits or Limits.from_env()
    if len(data) > limits.max_bytes:
        raise ParseError(f"file is {len(data) / 2**20:.0f} MB; the limit is {limits.max_bytes / 2**20:.0f} MB",
                         "too_large")
    fmt = sniff(data, name)
    layout = _convert(data, fmt, name, limits, assets)
    promised = _EXTENSIONS.get(PurePosixPath(name.lower()).suffix)
    if promised and promised != fmt and not (promised == "html" and fmt == "txt"):
        note = f"named {PurePosixPath(name).name!r} but the bytes are {fmt.upper()}; read as {fmt.upper()}"
        layout = replace(layout, warnings=(*layout.warnings, note))
    return layout


def _convert(data: bytes, fmt: str, name: str, limits: Limits, assets: Mapping[str, bytes] | None = None) -> Layout:
    if fmt == "empty":
        raise ParseError("empty file", "empty")
    if fmt == "txt":
        from .text_layout import text_to_layout
        return text_to_layout(data, limits)
    if fmt == "html":
        from .html_layout import html_to_layout
        return html_to_layout(data, limits=limits, assets=assets)
    if fmt == "docx":
        from .docx_layout import docx_to_layout
        return docx_to_layout(data, limits=limits)
    if fmt in ("doc", "wps"):
        from .docx_layout import docx_to_layout
        from .office import soffice_version, to_docx
        layout = docx_to_layout(to_docx(data, fmt, timeout=limits.budget(1)), fmt=fmt, limits=limits)
        return Layout(layout.lines, fmt, f"{soffice_version()} + {layout.converter}", layout.pages,
                      layout.warnings, layout.title_hint)
    if fmt == "pdf":
        try:
            from .pdf import pdf_to_layout
        except ImportError:
            raise ParseError("PDF support is not installed", "unsupported") from None
        pages = _pdf_pages(data, limits.max_pages)
        if pages is not None and pages > limits.max_pages:
            raise ParseError(f"PDF has more than {limits.max_pages} pages (the limit)", "too_large")
        pages = pages or 1
        announce_work(pages, pages)  # until the PDF reader knows better, any page may need OCR
        return pdf_to_layout(data, max_pages=limits.max_pages, timeout_s=limits.budget(pages, pages))
    if fmt in IMAGE_FORMATS:
        from .images import image_to_layout
        return image_to_layout(data, fmt, limits)
    if fmt == "ofd":
        from .ofd import ofd_to_layout
        return ofd_to_layout(data, limits)
    if fmt == "zip":
        raise ParseError("a zip archive that is not a Word document (no word/document.xml)", "unsupported")
    promised = _EXTENSIONS.get(PurePosixPath(name.lower()).suffix)
    also = f" (named {PurePosixPath(name).name!r}, but the bytes are not {promised.upper()})" if promised else ""
    raise ParseError(f"unsupported file type: {fmt}{also}", "unsupported")


def _pdf_pages(data: bytes, limit: int) -> int | None:
    """Pages in a PDF's page tree, counted up to ``limit + 1``; None when it cannot be read (the
    PDF reader then says why)."""
    try:
        from pdfminer.pdfdocument import PDFDocument
        from pdfminer.pdfpage import PDFPage
        from pdfminer.pdfparser import PDFParser

        doc = PDFDocument(PDFParser(io.BytesIO(data)), password="")
        n = 0
        for _ in PDFPage.create_pages(doc):
            n += 1
            if n > limit:
                break
        return n
    except Exception:  # noqa: BLE001 - pdfminer raises many types; pdf_to_layout reports them
        return None


def parse_bytes(data: bytes, name: str = "", limits: Limits | None = None,
                assets: Mapping[str, bytes] | None = None) -> Record:
    """The record of one document, in this process. Structural limits apply (size, pages, cells,
    nesting, lines, unpacked size); memory and time do not: use :func:`parse_guarded` for that.
    ``assets``: an HTML page's images by their ``src``, for a report printed as images."""
    from .interpret import interpret

    limits = limits or Limits.from_env()
    try:
        layout = to_layout(data, name, limits, assets)
    except RecursionError:
        raise ParseError("the file nests too deeply to read", "too_large") from None
    try:
        return interpret(layout, sha256=hashlib.sha256(data).hexdigest(), size=len(data))
    except ParseError as err:  # e.g. no report tables: because the page's images were not there?
        from .html_images import MISSING_NOTE

        missing = next((w for w in layout.warnings if w.startswith(MISSING_NOTE)), None)
        if missing is None:
            raise
        raise ParseError(f"{err}; {missing}", err.kind) from None


def parse_guarded(data: bytes, name: str = "", limits: Limits | None = None,
                  assets: Mapping[str, bytes] | None = None) -> Record:
    """:func:`parse_bytes` in a child process that is killed when it uses more memory or time than
    ``limits`` allow (``Limits.from_env()`` by default). Every failure is a ParseError with a kind:
    the structural ones, ``too_large`` (memory), ``timeout``, ``crashed``, ``internal``."""
    limits = limits or Limits.from_env()
    if len(data) > limits.max_bytes:  # no child needed to say this
        return parse_bytes(data, name, limits, assets)
    if limits.guard != "exec":
        _preload(sniff(data, name))
    return run_guarded(parse_bytes, (data, name, limits, assets), limits)


def _preload(fmt: str) -> None:
    for module in ("pipeline.interpret", *_PRELOAD.get(fmt, ())):
        try:
            importlib.import_module(module)
        except ImportError:  # the child reports what is missing
            pass


def read_file(path: str | Path) -> bytes:
    p = Path(path)
    try:
        return p.read_bytes()
    except FileNotFoundError:
        raise ParseError(f"no such file: {p}", "missing") from None
    except IsADirectoryError:
        raise ParseError(f"is a directory, not a file: {p}", "missing") from None
    except OSError as err:
        raise ParseError(f"cannot read {p}: {err.strerror}", "missing") from None


def parse_path(path: str | Path, limits: Limits | None = None, *, guarded: bool = False) -> Record:
    """The record of a file on disk; ``guarded`` runs :func:`parse_guarded`."""
    p = Path(path)
    limits = limits or Limits.from_env()
    if p.is_file() and p.stat().st_size > limits.max_bytes:
        raise ParseError(f"file is {p.stat().st_size / 2**20:.0f} MB; the limit is "
                         f"{limits.max_bytes / 2**20:.0f} MB", "too_large")
    data = read_file(p)
    assets = page_images_beside(p, data, limits)
    return (parse_guarded if guarded else parse_bytes)(data, p.name, limits, assets)


def page_images_beside(path: Path, data: bytes, limits: Limits) -> dict[str, bytes] | None:
    """For a saved HTML page: the image files beside it that its ``<img>`` name (None otherwise)."""
    if sniff(data, path.name) != "html":
        return None
    from .html_images import local_assets
    from .html_layout import image_srcs

    return local_assets(path, image_srcs(data, limits), limits.max_bytes) or None
