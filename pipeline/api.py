"""bytes → Record: sniff the format, convert to a Layout, interpret."""
from __future__ import annotations

import hashlib
from pathlib import Path

from .layout import Layout
from .record import ParseError, Record
from .sniff import sniff

MAX_BYTES = 200 * 1024 * 1024


def to_layout(data: bytes, name: str = "") -> Layout:
    """The Layout of a document, by the format its bytes show (the name only breaks DOC/WPS ties)."""
    if len(data) > MAX_BYTES:
        raise ParseError(f"file is {len(data) >> 20} MB; the limit is {MAX_BYTES >> 20} MB", "too_large")
    fmt = sniff(data, name)
    if fmt == "empty":
        raise ParseError("empty file", "empty")
    if fmt == "txt":
        from .text_layout import text_to_layout
        return text_to_layout(data)
    if fmt == "html":
        from .html_layout import html_to_layout
        return html_to_layout(data)
    if fmt == "docx":
        from .docx_layout import docx_to_layout
        return docx_to_layout(data)
    if fmt in ("doc", "wps"):
        from .docx_layout import docx_to_layout
        from .office import soffice_version, to_docx
        layout = docx_to_layout(to_docx(data, fmt), fmt=fmt)
        return Layout(layout.lines, fmt, f"{soffice_version()} + {layout.converter}", layout.pages,
                      layout.warnings, layout.title_hint)
    if fmt == "pdf":
        try:
            from .pdf import pdf_to_layout
        except ImportError:
            raise ParseError("PDF support is not installed", "unsupported") from None
        return pdf_to_layout(data)
    if fmt == "zip":
        raise ParseError("a zip archive that is not a Word document (no word/document.xml)", "unsupported")
    raise ParseError(f"unsupported file type: {fmt}", "unsupported")


def parse_bytes(data: bytes, name: str = "") -> Record:
    from .interpret import interpret

    layout = to_layout(data, name)
    return interpret(layout, sha256=hashlib.sha256(data).hexdigest(), size=len(data))


def parse_path(path: str | Path) -> Record:
    p = Path(path)
    try:
        data = p.read_bytes()
    except FileNotFoundError:
        raise ParseError(f"no such file: {p}", "missing") from None
    except IsADirectoryError:
        raise ParseError(f"is a directory, not a file: {p}", "missing") from None
    except OSError as err:
        raise ParseError(f"cannot read {p}: {err.strerror}", "missing") from None
    return parse_bytes(data, p.name)
