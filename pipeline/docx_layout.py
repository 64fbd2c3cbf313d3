"""DOCX → HTML (mammoth keeps rowspan/colspan) → Layout, after checking the package is safe.

Nothing is ever extracted to disk: the zip is read in memory, images are never opened, external
files are never fetched, and XML with a DTD (entity expansion, external entities) is refused.
"""

from __future__ import annotations

import io
import re
import zipfile
from importlib.metadata import version
from typing import Any, cast

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
    return norm.startswith("/") or "\x00" in name or ":" in name or any(part == ".." for part in norm.split("/"))


def check_package(
    data: bytes, limits: Limits | None = None, kind: str = "DOCX", required: str = "word/document.xml"
) -> zipfile.ZipFile:
    """Refuse zip bombs, path traversal, and XML with DTDs (entity expansion, external entities).
    ``kind`` names the package in messages (DOCX, OFD); ``required`` is the part it must have."""
    limits = limits or Limits()
    too_many = zip_too_big_to_list(data, limits.max_members)
    if too_many:
        raise ParseError(
            f"{kind} has {too_many}, more than the limit of {limits.max_members:,} parts; refusing", "too_large"
        )
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except (zipfile.BadZipFile, ValueError, OSError, EOFError) as err:
        raise ParseError(f"corrupt {kind} (not a readable zip package: {err})", "corrupt") from None
    if len(infos) > limits.max_members:
        raise ParseError(f"{kind} has {len(infos):,} parts; refusing (limit {limits.max_members:,})", "too_large")
    cap = limits.max_unpacked_mb << 20
    total = 0
    for info in infos:
        name = info.filename
        if unsafe_name(name):
            raise ParseError(f"{kind} part with an unsafe name {name!r}; refusing", "unsafe")
        total += info.file_size
        if total > cap:
            raise ParseError(
                f"{kind} unpacks to more than {limits.max_unpacked_mb} MB; refusing (zip bomb?)", "too_large"
            )
        if info.compress_size and info.file_size / info.compress_size > MAX_RATIO and info.file_size > 10 << 20:
            raise ParseError(
                f"{kind} part {name} inflates {info.file_size // info.compress_size}×; refusing (zip bomb?)",
                "too_large",
            )
    if required not in zf.namelist():
        raise ParseError(f"corrupt {kind} (no {required})", "corrupt")
    for info in infos:
        if info.filename.lower().endswith((".xml", ".rels")):
            _scan_xml(zf, info, limits, kind)
    return zf


def _scan_xml(zf: zipfile.ZipFile, info: zipfile.ZipInfo, limits: Limits, kind: str = "DOCX") -> None:
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
                    raise ParseError(f"{kind} part {info.filename} declares a DTD/entities; refusing", "unsafe")
                if body:
                    cells += len(_CELL_RE.findall(chunk))
                    paras += len(_PARA_RE.findall(chunk))
                    if cells > limits.max_cells:
                        raise ParseError(f"DOCX has more than {limits.max_cells:,} table cells; refusing", "too_large")
                    if paras > limits.max_lines:
                        raise ParseError(f"DOCX has more than {limits.max_lines:,} paragraphs; refusing", "too_large")
                tail = window[-_OVERLAP:]
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError) as err:
        # includes a part whose real size or CRC is not what the directory says
        raise ParseError(f"corrupt {kind} (part {info.filename}: {err})", "corrupt") from None
    except NotImplementedError as err:  # an unknown compression method
        raise ParseError(f"unsupported {kind} (part {info.filename}: {err})", "unsupported") from None


def _no_image(image: Any) -> dict[str, str]:
    return {"alt": image.alt_text or ""}  # the image bytes are never read


# the parts mammoth needs for the document's structure; styles (often 300 kB+ of XML that mammoth
# parses with minidom) only map style names, which the interpreter does not use
STRUCTURE_PARTS = (
    "[Content_Types].xml",
    "_rels/.rels",
    "word/document.xml",
    "word/_rels/document.xml.rels",
    "word/numbering.xml",
)
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
# What of the formatting mammoth reads still matters once its HTML becomes a Layout (text, cells,
# spans, lists): a paragraph's style and numbering and whether its mark was deleted (mammoth then
# joins it to the next one), a cell's span and vertical merge. Run formatting (fonts, sizes, bold:
# a quarter of the elements in a Word file), spacing, alignment and widths only style the HTML,
# and minidom builds a node for each of them.
_KEEP_IN = {W + "pPr": {W + "pStyle", W + "numPr", W + "rPr"}, W + "tcPr": {W + "gridSpan", W + "vMerge"}}
_DROP = {W + "proofErr", W + "bookmarkStart", W + "bookmarkEnd", W + "lastRenderedPageBreak", W + "tblGrid"}


def slim_document(xml: bytes) -> bytes:
    """word/document.xml without the formatting that cannot change the Layout (same text, cells,
    spans and lists from mammoth, with half the elements for minidom to build)."""
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=True)
    try:
        root = etree.fromstring(xml, parser)
    except (etree.XMLSyntaxError, ValueError):
        return xml  # mammoth reads it as it is, and says what is wrong with it
    drop = []
    for el in root.iter(W + "rPr", W + "pPr", W + "tcPr", *_DROP):
        tag, parent = el.tag, el.getparent()
        if tag in _DROP or (tag == W + "rPr" and parent is not None and parent.tag == W + "r"):
            drop.append(el)
        elif tag == W + "rPr":  # a paragraph mark's properties: only whether it was deleted
            drop.extend(ch for ch in el if ch.tag != W + "del")
        elif tag in _KEEP_IN:
            drop.extend(ch for ch in el if ch.tag not in _KEEP_IN[tag])
    for el in drop:
        parent = el.getparent()
        if parent is not None:
            parent.remove(el)
    return cast(bytes, etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True))


def structure_only(zf: zipfile.ZipFile) -> bytes:
    """The package with only its structural parts and a slim document.xml (the same Layout from
    mammoth, several times faster)."""
    out = io.BytesIO()
    names = set(zf.namelist())
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_STORED) as slim:
        for name in STRUCTURE_PARTS:
            if name in names:
                body = zf.read(name)
                slim.writestr(name, slim_document(body) if name == "word/document.xml" else body)
    return out.getvalue()


def docx_to_layout(data: bytes, fmt: str = "docx", limits: Limits | None = None) -> Layout:
    limits = limits or Limits()
    zf = check_package(data, limits)
    import mammoth  # imported here: only DOCX needs it

    try:
        result = mammoth.convert_to_html(
            io.BytesIO(structure_only(zf)),
            convert_image=mammoth.images.img_element(_no_image),
            external_file_access=False,
        )
    except ParseError:
        raise
    except Exception as err:  # noqa: BLE001 - mammoth raises plain exceptions on broken packages
        raise ParseError(
            f"corrupt DOCX ({type(err).__name__}: {' '.join(str(err).split())[:120]})", "corrupt"
        ) from None
    html = "<html><head><meta charset='utf-8'></head><body>" + result.value + "</body></html>"
    return html_to_layout(html.encode("utf-8"), fmt=fmt, converter=f"mammoth {version('mammoth')}", limits=limits)
