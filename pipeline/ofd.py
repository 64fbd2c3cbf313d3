"""OFD (GB/T 33190) → Layout: text objects with their positions read like a PDF's text layer.

An OFD is a zip of XML: ``OFD.xml`` names the document (``DocBody/DocRoot``), its
``Document.xml`` lists the pages (``Pages/Page@BaseLoc``) and their page area, and each page's
``Content.xml`` holds layers of ``TextObject`` (a ``Boundary`` box, a ``Size``, ``TextCode``
runs at ``X``/``Y`` with per-glyph advances ``DeltaX``), ``PathObject`` (``AbbreviatedData``:
the table rulings) and ``ImageObject`` (a ``ResourceID`` of a ``MultiMedia`` file under
``Res/``). Text and rulings become the :class:`~pipeline.pdf.model.PageContent` of the PDF
reader (points, origin bottom left), so ruled and borderless tables go through the same grid and
row code as a PDF. An OFD that holds only images (a scan) is wrapped into an image-only PDF and
read by OCR like a scanned PDF.

Why not a library: ``easyofd`` (PyPI, 2026-04) extracts every zip member to the working
directory without checking names or sizes, parses XML with xmltodict (no DTD guard), writes
temporary files next to the caller and pulls in PyMuPDF and loguru; it also returns text
without the per-glyph positions the table code needs. Reading the few elements needed here with
defusedxml, inside the zip limits DOCX already has, is smaller and safe.
"""

from __future__ import annotations

import posixpath
import zipfile
from typing import TYPE_CHECKING, Any

from defusedxml import ElementTree as SafeET

from .docx_layout import check_package
from .layout import Layout
from .limits import Limits
from .work import announce as announce_work
from .ofd_page import MM, PageObjects, walk
from .ofd_page import local as _local
from .ofd_page import nums as _nums
from .pdf.chars import dedupe_fake_bold
from .pdf.model import PageContent
from .record import ParseError

if TYPE_CHECKING:
    from .images import PagePlan

MAX_GLYPHS = 1_000_000  # text glyphs in one document (a report has ~10 000)
A4_MM = (0.0, 0.0, 210.0, 297.0)


def _children(el: Any, name: str) -> list[Any]:
    return [c for c in el if _local(c.tag) == name]


def _child(el: Any, name: str) -> Any:
    for c in el:
        if _local(c.tag) == name:
            return c
    return None


class Package:
    """The checked zip and its XML parts, parsed without DTDs or entities."""

    def __init__(self, data: bytes, limits: Limits):
        self.zf: zipfile.ZipFile = check_package(data, limits, kind="OFD", required="OFD.xml")
        self.names = set(self.zf.namelist())

    def has(self, path: str) -> bool:
        return path in self.names

    def xml(self, path: str) -> Any:
        if path not in self.names:
            raise ParseError(f"corrupt OFD (no {path})", "corrupt")
        try:
            return SafeET.fromstring(self.zf.read(path), forbid_dtd=True)
        except SafeET.ParseError as err:
            raise ParseError(f"corrupt OFD (part {path}: {err})", "corrupt") from None
        except ValueError as err:  # defusedxml's refusals (DTD, entities) are ValueErrors
            raise ParseError(
                f"OFD part {path} declares a DTD/entities; refusing ({type(err).__name__})", "unsafe"
            ) from None

    def read(self, path: str) -> bytes:
        return self.zf.read(path)


def resolve(base_dir: str, loc: str) -> str:
    """A part path from a location: absolute ones from the package root, others from ``base_dir``
    (a path that climbs out of the package matches no part, so it is simply not found)."""
    loc = loc.strip().replace("\\", "/")
    path = loc if loc.startswith("/") else posixpath.join("/", base_dir, loc)
    return posixpath.normpath(path).lstrip("/")


def _box(text: str | None) -> tuple[float, float, float, float] | None:
    v = _nums(text)
    return (v[0], v[1], v[2], v[3]) if len(v) == 4 else None


class Document:
    """One OFD document: its pages' content parts, page areas, templates and media files."""

    def __init__(self, pkg: Package, limits: Limits):
        self.pkg = pkg
        root = pkg.xml("OFD.xml")
        body = _child(root, "DocBody")
        doc_root = _child(body, "DocRoot") if body is not None else None
        if doc_root is None or not (doc_root.text or "").strip():
            raise ParseError("corrupt OFD (OFD.xml names no DocRoot)", "corrupt")
        info = _child(body, "DocInfo")
        title = _child(info, "Title") if info is not None else None
        self.title = ((title.text or "").strip() or None) if title is not None else None
        self.path = resolve("", doc_root.text)
        self.dir = posixpath.dirname(self.path)
        doc = pkg.xml(self.path)
        common = _child(doc, "CommonData")
        area = _child(common, "PageArea") if common is not None else None
        self.default_box = (
            _box(_child(area, "PhysicalBox").text)
            if area is not None and _child(area, "PhysicalBox") is not None
            else None
        )
        self.templates = {
            t.get("ID"): resolve(self.dir, t.get("BaseLoc", ""))
            for t in (_children(common, "TemplatePage") if common is not None else [])
        }
        self.media = self._media(common)
        pages = _child(doc, "Pages")
        self.pages = [
            resolve(self.dir, p.get("BaseLoc", "")) for p in (_children(pages, "Page") if pages is not None else [])
        ]
        if not self.pages:
            raise ParseError("OFD document has no pages", "empty")
        if len(self.pages) > limits.max_pages:
            raise ParseError(f"OFD has {len(self.pages)} pages, more than the limit of {limits.max_pages}", "too_large")

    def _media(self, common: Any) -> dict[str, str]:
        """Resource ID → part path of every MultiMedia file (images) in the document's resources."""
        out: dict[str, str] = {}
        if common is None:
            return out
        for kind in ("PublicRes", "DocumentRes"):
            for ref in _children(common, kind):
                path = resolve(self.dir, ref.text or "")
                if not self.pkg.has(path):
                    continue
                res = self.pkg.xml(path)
                base = resolve(posixpath.dirname(path), res.get("BaseLoc", ""))
                for medias in _children(res, "MultiMedias"):
                    for m in _children(medias, "MultiMedia"):
                        f = _child(m, "MediaFile")
                        if f is not None and f.text:
                            out[m.get("ID", "")] = resolve(base, f.text)
        return out

    def page(self, number: int, limit: int) -> tuple[PageContent, list[tuple[str, tuple[float, float, float, float]]]]:
        """Page ``number`` (1-based) as PDF page content, and its images as (part path, box in pt)."""
        path = self.pages[number - 1]
        root = self.pkg.xml(path)
        area = _child(root, "Area")
        box = (
            (
                _box(_child(area, "PhysicalBox").text)
                if area is not None and _child(area, "PhysicalBox") is not None
                else None
            )
            or self.default_box
            or A4_MM
        )
        objs = PageObjects(width=box[2] * MM, height=box[3] * MM, origin=(box[0], box[1]))
        try:
            for ref in _children(root, "Template"):  # the background first, as it is drawn
                tpl = self.templates.get(ref.get("TemplateID"))
                if tpl and self.pkg.has(tpl):
                    content = _child(self.pkg.xml(tpl), "Content")
                    if content is not None:
                        walk(objs, content, limit)
            content = _child(root, "Content")
            if content is not None:
                walk(objs, content, limit)
        except OverflowError:
            raise ParseError(f"OFD has more than {limit:,} text glyphs; refusing", "too_large") from None
        area_pt = max(objs.width * objs.height, 1.0)
        cover = sum(w * h for _, (_, _, w, h) in objs.images) / area_pt
        content = PageContent(
            number=number,
            width=objs.width,
            height=objs.height,
            chars=tuple(dedupe_fake_bold(objs.chars)),
            segments=tuple(objs.segments),
            images=len(objs.images),
            curves=objs.curves,
            raw_texts=tuple(objs.raw),
            image_cover=min(cover, 1.0),
        )
        images = [
            (self.media[rid], box) for rid, box in objs.images if rid in self.media and self.pkg.has(self.media[rid])
        ]
        return content, images


def ofd_to_layout(data: bytes, limits: Limits | None = None) -> Layout:
    """The Layout of an OFD: its text objects through the PDF table code, or OCR of its images
    when no page has a usable text layer."""
    from dataclasses import replace
    from importlib.metadata import version

    from .pdf.health import assess
    from .pdf.reading import build_lines

    limits = limits or Limits()
    doc = Document(Package(data, limits), limits)
    announce_work(len(doc.pages), 0)
    pages, images = [], []
    for n in range(1, len(doc.pages) + 1):
        page, imgs = doc.page(n, MAX_GLYPHS)
        pages.append(page)
        images.append(imgs)
    health = [assess(p) for p in pages]
    converter = f"gongkai OFD reader (defusedxml {version('defusedxml')})"
    if not any(h.ok and not h.blank for h in health):
        if not any(images):
            raise ParseError("OFD has no text and no images", "empty" if all(h.blank for h in health) else "no_text")
        from .images import scan_layout

        layout = scan_layout(_image_plans(doc, pages, images, limits), limits)
        return replace(
            layout,
            format="ofd",
            converter=f"{converter} + {layout.converter}",
            title_hint=layout.title_hint or doc.title,
        )
    warnings = [
        f"page {h.page}: {h.reason}; only its text objects are read (no OCR inside a text OFD)"
        for h in health
        if not h.ok and not h.blank
    ]
    lines, title = build_lines(pages)
    return Layout(
        lines=tuple(lines),
        format="ofd",
        converter=converter,
        pages=len(pages),
        warnings=tuple(warnings),
        title_hint=title or doc.title,
    )


def _image_plans(
    doc: Document,
    pages: list[PageContent],
    images: list[list[tuple[str, tuple[float, float, float, float]]]],
    limits: Limits,
) -> list[PagePlan]:
    """Each page with its images at their places, for an image-only PDF."""
    from .images import open_frames

    plans = []
    for page, imgs in zip(pages, images):
        placed = []
        for path, box in imgs:
            raw = doc.pkg.read(path)
            frames = open_frames(raw, limits, f"OFD image {path}")
            jpeg = raw if raw[:3] == b"\xff\xd8\xff" and frames[0].info.get("source_format") == "JPEG" else None
            placed.append((frames[0], jpeg, box))
        plans.append((page.width, page.height, placed))
    return plans
