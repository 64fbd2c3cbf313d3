"""bytes → Record: sniff the format, convert to a Layout, interpret.

:func:`parse_bytes` is the pure entry point (structural limits only); :mod:`runner.parse` runs it in
the one supervised child process that also bounds memory, wall-clock time and output.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import replace
from pathlib import Path, PurePosixPath
from typing import Mapping

from .layout import Layout
from .limits import Limits
from .images import IMAGE_FORMATS
from .record import ParseError, Record
from .sniff import sniff
from .work import WorkListener, _ignore, listening

# what a file name promises, to say so when the bytes are something else
_EXTENSIONS = {
    ".pdf": "pdf",
    ".docx": "docx",
    ".doc": "doc",
    ".wps": "wps",
    ".txt": "txt",
    ".html": "html",
    ".htm": "html",
    ".shtml": "html",
    ".xhtml": "html",
    ".ofd": "ofd",
    ".png": "png",
    ".jpg": "jpeg",
    ".jpeg": "jpeg",
    ".tif": "tiff",
    ".tiff": "tiff",
    ".gif": "gif",
}


def to_layout(
    data: bytes,
    name: str = "",
    limits: Limits | None = None,
    on_work: WorkListener = _ignore,
    assets: Mapping[str, bytes] | None = None,
) -> Layout:
    """The Layout of a document, by the format its bytes show (the name only breaks DOC/WPS ties).
    ``assets``: the images of an HTML page by their ``src`` (see :mod:`pipeline.html_images`)."""
    limits = limits or Limits.from_env()
    if len(data) > limits.max_bytes:
        raise ParseError(
            f"file is {len(data) / 2**20:.0f} MB; the limit is {limits.max_bytes / 2**20:.0f} MB", "too_large"
        )
    fmt = sniff(data, name)
    with listening(on_work):  # converters that OCR images tell the size of that work themselves
        layout = _convert(data, fmt, name, limits, on_work, assets)
    promised = _EXTENSIONS.get(PurePosixPath(name.lower()).suffix)
    if promised and promised != fmt and not (promised == "html" and fmt == "txt"):
        note = f"named {PurePosixPath(name).name!r} but the bytes are {fmt.upper()}; read as {fmt.upper()}"
        layout = replace(layout, warnings=(*layout.warnings, note))
    return layout


def _convert(
    data: bytes, fmt: str, name: str, limits: Limits, on_work: WorkListener, assets: Mapping[str, bytes] | None = None
) -> Layout:
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
        return Layout(
            layout.lines,
            fmt,
            f"{soffice_version()} + {layout.converter}",
            layout.pages,
            layout.warnings,
            layout.title_hint,
        )
    if fmt == "pdf":
        try:
            from .pdf import pdf_to_layout
        except ImportError:
            raise ParseError("PDF support is not installed", "unsupported") from None
        pages = _pdf_pages(data, limits)
        if pages is not None and pages > limits.max_pages:
            raise ParseError(f"PDF has more than {limits.max_pages} pages (the limit)", "too_large")
        pages = pages or 1
        on_work(pages, pages)  # until the PDF reader knows better, any page may need OCR
        return pdf_to_layout(
            data,
            max_pages=limits.max_pages,
            timeout_s=limits.budget(pages, pages),
            max_inflated_mb=limits.max_inflated_mb,
            max_page_content_mb=limits.max_page_content_mb,
        )
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


def _pdf_pages(data: bytes, limits: Limits) -> int | None:
    """Pages in a PDF's page tree, counted up to ``limits.max_pages + 1``; None when it cannot be
    read (the PDF reader then says why). Streams inflate within ``limits.max_inflated_mb``."""
    from pdfminer.pdfdocument import PDFDocument
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdfparser import PDFParser

    from .pdf.inflate import inflate_budget

    with inflate_budget(limits.max_inflated_mb << 20):
        try:
            doc = PDFDocument(PDFParser(io.BytesIO(data)), password="")
            n = 0
            for _ in PDFPage.create_pages(doc):
                n += 1
                if n > limits.max_pages:
                    break
            return n
        except ParseError:  # over the inflate budget
            raise
        except Exception:  # noqa: BLE001 - pdfminer raises many unrelated types; pdf_to_layout reads again and says which
            return None


def parse_bytes(
    data: bytes,
    name: str = "",
    limits: Limits | None = None,
    on_work: WorkListener = _ignore,
    assets: Mapping[str, bytes] | None = None,
) -> Record:
    """The record of one document, in this process. Structural limits apply (size, pages, cells,
    nesting, lines, unpacked size); memory, time and output do not: :mod:`runner.parse` runs this
    in a supervised child for that (``on_work`` is how the child tells its supervisor the size).
    ``assets``: an HTML page's images by their ``src``, for a report printed as images."""
    from .interpret import interpret

    limits = limits or Limits.from_env()
    try:
        layout = to_layout(data, name, limits, on_work, assets)
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


def check_file(path: str | Path, limits: Limits) -> None:
    """Refuse, unread, a file that is missing, not a file, or over ``limits.max_bytes``."""
    p = Path(path)
    try:
        size = p.stat().st_size
    except FileNotFoundError:
        raise ParseError(f"no such file: {p}", "missing") from None
    except OSError as err:
        raise ParseError(f"cannot read {p}: {err.strerror}", "missing") from None
    if p.is_dir():
        raise ParseError(f"is a directory, not a file: {p}", "missing")
    if size > limits.max_bytes:
        raise ParseError(f"file is {size / 2**20:.0f} MB; the limit is {limits.max_bytes / 2**20:.0f} MB", "too_large")


def read_document(path: str | Path, limits: Limits) -> bytes:
    """The bytes of a file to parse, after :func:`check_file`."""
    check_file(path, limits)
    return read_file(path)


def parse_path(path: str | Path, limits: Limits | None = None) -> Record:
    """The record of a file on disk, in this process (see :func:`parse_bytes`)."""
    limits = limits or Limits.from_env()
    data = read_document(path, limits)
    return parse_bytes(data, Path(path).name, limits, assets=page_images_beside(Path(path), data, limits))


def page_images_beside(path: Path, data: bytes, limits: Limits) -> dict[str, bytes] | None:
    """For a saved HTML page: the image files beside it that its ``<img>`` name (None otherwise)."""
    if sniff(data, path.name) != "html":
        return None
    from .html_images import local_assets
    from .html_layout import image_srcs

    return local_assets(path, image_srcs(data, limits), limits.max_bytes) or None
