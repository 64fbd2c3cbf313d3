"""DOCX → HTML (mammoth keeps rowspan/colspan) → Layout, after checking the package is safe.

Nothing is ever extracted to disk: the zip is read in memory, images are never opened, external
files are never fetched, and XML with a DTD (entity expansion, external entities) is refused.
"""
from __future__ import annotations

import io
import re
import zipfile
from importlib.metadata import version

from .html_layout import html_to_layout
from .layout import Layout
from .limits import Limits
from .record import ParseError
from .sniff import zip_too_big_to_list

MAX_RATIO = 200  # uncompressed / compressed, per member above 10 MB (zip bombs go far beyond)
CHUNK = 1 << 20
# a DTD opens the door to entity expansion and external entities; Word never writes one
_DTD_MARKERS = tuple(m.encode(enc) for m in ("<!DOCTYPE", "<!ENTITY") for enc in ("ascii", "utf-16-le", "utf-16-be"))
_OVERLAP = max(len(m) for m in _DTD_MARKERS)
_CELL_RE = re.compile(rb"<w:tc[\s>]")
_PARA_RE = re.compile(rb"<w:p[\s>]")


def unsafe_name(name: str) -> bool:
    """A part name that would escape a directory if extracted: absolute, drive, ``..``, NUL."""
    norm = name.replace("\\", "/")
    return (norm.startswith("/") or "\x00" in name or ":" in name or
            any(part == ".." for part in norm.split("/")))


def check_package(data: bytes, limits: Limits | None = None) -> zipfile.ZipFile:
    """Refuse zip bombs, path traversal, and XML with DTDs (entity expansion, external entities)."""
    limits = limits or Limits()
    too_many = zip_too_big_to_list(data, limits.max_members)
    if too_many:
        raise ParseError(f"DOCX has {too_many}, more than the limit of {limits.max_members:,} parts; refusing",
                         "too_large")
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except (zipfile.BadZipFile, ValueError, OSError, EOFError) as err:
        raise ParseError(f"corrupt DOCX (not a readable zip package: {err})", "corrupt") from None
    if len(infos) > limits.max_members:
        raise ParseError(f"DOCX has {len(infos):,} parts; refusing (limit {limits.max_members:,})", "too_large")
    cap = limits.max_unpacked_mb << 20
    total = 0
    for info in infos:
        name = info.filename
        if unsafe_name(name):
            raise ParseError(f"DOCX part with an unsafe name {name!r}; refusing", "unsafe")
        total += info.file_size
        if total > cap:
            raise ParseError(f"DOCX unpacks to more than {limits.max_unpacked_mb} MB; refusing (zip bomb?)",
                             "too_large")
        if info.compress_size and info.file_size / info.compress_size > MAX_RATIO and info.file_size > 10 << 20:
            raise ParseError(f"DOCX part {name} inflates {info.file_size // info.compress_size}×; refusing (zip bomb?)",
                             "too_large")
    if "word/document.xml" not in zf.namelist():
        raise ParseError("corrupt DOCX (no word/document.xml)", "corrupt")
    for info in infos:
        if info.filename.lower().endswith((".xml", ".rels")):
            _scan_xml(zf, info, limits)
    return zf


def _scan_xml(zf: zipfile.ZipFile, info: zipfile.ZipInfo, limits: Limits) -> None:
    """Stream one XML part: refuse a DTD anywhere in it; in the body, count cells and paragraphs."""
    body = info.filename == "word/document.xml"
    cells = paras = 0
    tail = b""
    try:
        with zf.open(info) as fh:
            while True:
                chunk = fh.read(CHUNK)
                if not chunk:
                    break
                window = tail + chunk
                if any(m in window for m in _DTD_MARKERS):
                    raise ParseError(f"DOCX part {info.filename} declares a DTD/entities; refusing", "unsafe")
                if body:
                    cells += len(_CELL_RE.findall(chunk))
                    paras += len(_PARA_RE.findall(chunk))
                    if cells > limits.max_cells:
                        raise ParseError(f"DOCX has more than {limits.max_cells:,} table cells; refusing",
                                         "too_large")
                    if paras > limits.max_lines:
                        raise ParseError(f"DOCX has more than {limits.max_lines:,} paragraphs; refusing",
                                         "too_large")
                tail = window[-_OVERLAP:]
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError) as err:
        # includes a part whose real size or CRC is not what the directory says
        raise ParseError(f"corrupt DOCX (part {info.filename}: {err})", "corrupt") from None
    except NotImplementedError as err:  # an unknown compression method
        raise ParseError(f"unsupported DOCX (part {info.filename}: {err})", "unsupported") from None


def _no_image(image) -> dict:
    return {"alt": image.alt_text or ""}  # the image bytes are never read


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


def docx_to_layout(data: bytes, fmt: str = "docx", limits: Limits | None = None) -> Layout:
    limits = limits or Limits()
    zf = check_package(data, limits)
    import mammoth  # imported here: only DOCX needs it

    try:
        result = mammoth.convert_to_html(io.BytesIO(structure_only(zf)),
                                         convert_image=mammoth.images.img_element(_no_image),
                                         external_file_access=False)
    except ParseError:
        raise
    except Exception as err:  # mammoth raises plain exceptions on broken packages
        raise ParseError(f"corrupt DOCX ({type(err).__name__}: {' '.join(str(err).split())[:120]})",
                         "corrupt") from None
    html = "<html><head><meta charset='utf-8'></head><body>" + result.value + "</body></html>"
    return html_to_layout(html.encode("utf-8"), fmt=fmt, converter=f"mammoth {version('mammoth')}", limits=limits)
