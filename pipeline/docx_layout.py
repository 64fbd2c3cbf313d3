"""DOCX → HTML (mammoth keeps rowspan/colspan) → Layout, after checking the package is safe."""
from __future__ import annotations

import io
import zipfile
from importlib.metadata import version

from .html_layout import html_to_layout
from .layout import Layout
from .record import ParseError

MAX_UNCOMPRESSED = 256 * 1024 * 1024  # bytes, all members
MAX_RATIO = 200  # uncompressed / compressed, per member (zip bombs go far beyond)
MAX_MEMBERS = 5000


def check_package(data: bytes) -> zipfile.ZipFile:
    """Refuse zip bombs, path traversal, and XML with DTDs (entity expansion, external entities)."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as err:
        raise ParseError(f"corrupt DOCX (not a readable zip package: {err})", "corrupt") from None
    if len(infos) > MAX_MEMBERS:
        raise ParseError(f"DOCX has {len(infos)} parts; refusing (limit {MAX_MEMBERS})", "too_large")
    total = 0
    for info in infos:
        name = info.filename
        if name.startswith(("/", "\\")) or ".." in name.replace("\\", "/").split("/") or ":" in name:
            raise ParseError(f"DOCX part with an unsafe name {name!r}; refusing", "corrupt")
        total += info.file_size
        if total > MAX_UNCOMPRESSED:
            raise ParseError(f"DOCX unpacks to more than {MAX_UNCOMPRESSED >> 20} MB; refusing (zip bomb?)", "too_large")
        if info.compress_size and info.file_size / info.compress_size > MAX_RATIO and info.file_size > 10 << 20:
            raise ParseError(f"DOCX part {name} inflates {info.file_size // info.compress_size}×; refusing (zip bomb?)",
                             "too_large")
    if "word/document.xml" not in zf.namelist():
        raise ParseError("corrupt DOCX (no word/document.xml)", "corrupt")
    for info in infos:
        if info.filename.endswith((".xml", ".rels")):
            with zf.open(info) as fh:
                head = fh.read(4096)
            if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
                raise ParseError(f"DOCX part {info.filename} declares a DTD/entities; refusing", "corrupt")
    return zf


# the parts mammoth needs for the document's structure; styles (often 300 kB+ of XML that mammoth
# parses with minidom) only map style names, which the interpreter does not use
STRUCTURE_PARTS = ("[Content_Types].xml", "_rels/.rels", "word/document.xml", "word/_rels/document.xml.rels",
                   "word/numbering.xml")


def structure_only(zf: zipfile.ZipFile) -> bytes:
    """The package with only its structural parts (same HTML from mammoth, several times faster)."""
    out = io.BytesIO()
    names = set(zf.namelist())
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_STORED) as slim:
        for name in STRUCTURE_PARTS:
            if name in names:
                slim.writestr(name, zf.read(name))
    return out.getvalue()


def docx_to_layout(data: bytes, fmt: str = "docx") -> Layout:
    zf = check_package(data)
    import mammoth  # imported here: only DOCX needs it

    try:
        result = mammoth.convert_to_html(io.BytesIO(structure_only(zf)))
    except Exception as err:  # mammoth raises plain exceptions on broken packages
        raise ParseError(f"corrupt DOCX ({type(err).__name__}: {str(err)[:120]})", "corrupt") from None
    html = "<html><head><meta charset='utf-8'></head><body>" + result.value + "</body></html>"
    layout = html_to_layout(html.encode("utf-8"), fmt=fmt, converter=f"mammoth {version('mammoth')}")
    return layout
