"""Reports printed as images in an article page: the ``<img>`` pages read as a scan, in order.

Many county and township portals paste the annual report into the article as page scans or as
screenshots of its tables. When the page's own text has no section 三 table (no "新收" anywhere)
and its content holds images, those images are the report: they are read, in document order, as
the pages of one scan (:func:`pipeline.images.scan_layout`, the scanned-PDF route), and their
lines take the place of the images among the page's text lines.

The image bytes come from ``assets``, keyed by the ``src`` as written in the page: the crawler
stores them with the page, ``gongkai parse saved.html`` reads the files beside it
(:func:`local_assets`); ``data:`` URIs are decoded in place. Images that are not there are named
in one warning (:data:`MISSING_NOTE`) and their cells stay missing.
"""

from __future__ import annotations

import base64
import binascii
import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Mapping
from urllib.parse import unquote, urlsplit

from .layout import Line
from .limits import Limits
from .record import ParseError

if TYPE_CHECKING:
    from .images import PagePlan

REPORT_MARKER = "新收"  # in every section 三 table of both templates (一、本年新收政府信息公开申请数量)
MISSING_NOTE = "report images not found"
SHORT_PAGE = 1500  # characters of text: less, and the images are the report
SEC3_HEADING = "收到和处理政府信息公开申请情况"
MIN_PIXELS = (200, 80)  # narrower or lower images are icons, rules and buttons, not report pages
_DECOR = re.compile(
    r"logo|icon|banner|qrcode|\bqr|ewm|erweima|share|weixin|wechat|weibo|print|close|"
    r"btn|button|arrow|spacer|blank|\bbg|dot\.|loading",
    re.I,
)
# lazy-loading pages put the real image in data-src / data-original and a placeholder in src
_SRC_ATTRS = ("data-original", "data-src", "original", "src")
# a link to a picture file: portals list a scan's pages as image attachments (第1页.jpg, …)
_IMAGE_FILE = re.compile(r"\.(jpe?g|png|tiff?|bmp|gif|webp)$", re.I)


@dataclass(frozen=True, slots=True)
class ImageMark:
    """Where a report image stands among the page's lines."""

    src: str


def image_src(img: Any) -> str:
    """Where an ``<img>``'s picture is: its lazy-loading attribute first, else ``src``; for a link
    to a picture file, its ``href``."""
    if img.tag == "a":
        return str(img.get("href") or "").strip()
    for attr in _SRC_ATTRS:
        v = (img.get(attr) or "").strip()
        if v and not v.startswith("data:image/gif;base64,R0lGOD"):  # lazy-loading placeholders
            return v
    return ""


def _small(img: Any) -> bool:
    """Declared smaller than a report image can be (an icon, a rule, a button)."""
    for attr in ("width", "height"):
        m = re.match(r"\s*(\d+)\s*(px)?\s*$", img.get(attr) or "")
        if m and int(m.group(1)) < MIN_PIXELS[1]:
            return True
    return False


def _image_link(el: Any) -> bool:
    href = str(el.get("href") or "").strip()
    return bool(href) and not href.startswith(("javascript:", "#")) and bool(_IMAGE_FILE.search(urlsplit(href).path))


def report_images(container: Any) -> list[Any]:
    """The elements of the content that may be report pages, in document order: ``<img>``, and
    ``<a>`` linking a picture file. An ``<img>`` inside such a link is its thumbnail: the link's
    picture is read instead."""
    out: list[Any] = []
    for img in container.iter("img", "a"):
        if img.tag == "a" and not _image_link(img):
            continue
        if img.tag == "img" and any(_image_link(a) for a in img.iterancestors("a")):
            continue
        src = image_src(img)
        if not src or _small(img):
            continue
        name = src if src.startswith("data:") else urlsplit(src).path.rsplit("/", 1)[-1]
        if not src.startswith("data:") and _DECOR.search(name):
            continue
        out.append(img)
    return out


def wants_images(lines: Iterable[Line]) -> bool:
    """The page's text holds no section 三 table, and is either short (the report is all images)
    or has the 2019+ template's heading of section 三 (its tables are images). A long text
    without that heading (a pre-2019 report, a notice) is read as text alone."""
    if any(REPORT_MARKER in line.text for line in lines):
        return False
    text = "".join("".join(line.text.split()) for line in lines)
    return len(text) < SHORT_PAGE or SEC3_HEADING in text


def _data_uri(src: str) -> bytes | None:
    head, _, body = src.partition(",")
    if not head.startswith("data:") or ";base64" not in head:
        return None
    try:
        return base64.b64decode(body, validate=False)
    except (binascii.Error, ValueError):
        return None


def local_assets(html_path: Path, srcs: list[str], max_bytes: int) -> dict[str, bytes]:
    """The files beside a saved page that its images name by relative ``src`` (inside the page's
    folder; absolute URLs and paths that climb out are not looked up)."""
    base = html_path.resolve().parent
    out: dict[str, bytes] = {}
    for src in srcs:
        parts = urlsplit(src)
        if parts.scheme or parts.netloc or src.startswith("/") or not parts.path:
            continue
        path = (base / unquote(parts.path)).resolve()
        if base not in path.parents or not path.is_file() or path.stat().st_size > max_bytes:
            continue
        out[src] = path.read_bytes()
    return out


def _pages(src: str, blob: bytes, limits: Limits, notes: list[str]) -> list[PagePlan]:
    from .images import image_pages

    try:
        plans = image_pages(blob, limits, f"image {_short(src)}")
    except ParseError as err:
        notes.append(f"image {_short(src)}: {err}; skipped")
        return []
    return [p for p in plans if all(im.size[0] >= MIN_PIXELS[0] and im.size[1] >= MIN_PIXELS[1] for im, _, _ in p[2])]


def _short(src: str) -> str:
    return "data: URI" if src.startswith("data:") else (urlsplit(src).path.rsplit("/", 1)[-1] or src)[:60]


def read_images(
    items: list[Line | ImageMark], assets: Mapping[str, bytes] | None, limits: Limits
) -> tuple[list[Line], list[str], str]:
    """The page's lines with its report images read in their places: (lines, warnings, converter)."""
    from .images import scan_layout

    assets = assets or {}
    marks = [it for it in items if isinstance(it, ImageMark)]
    notes: list[str] = []
    plans, page_src, missing = [], [], []
    for mark in marks:
        blob = assets.get(mark.src) or _data_uri(mark.src)
        if blob is None:
            missing.append(mark.src)
            continue
        got = _pages(mark.src, blob, limits, notes)
        plans += got
        page_src += [mark.src] * len(got)
    if missing:
        names = ", ".join(_short(s) for s in missing[:3]) + (", …" if len(missing) > 3 else "")
        notes.append(
            f"{MISSING_NOTE}: {len(missing)} of the {len(marks)} images of the report are not "
            f"available ({names}); what they show is missing"
        )
    by_src: dict[str, list[Line]] = {}
    converter = ""
    if plans:
        scan = scan_layout(plans, limits)
        converter = scan.converter
        notes += [f"report images: {w}" for w in scan.warnings]
        for line in scan.lines:
            src = page_src[_page(line) - 1]
            by_src.setdefault(src, []).append(_relocate(line, src, page_src))
    out: list[Line] = []
    for it in items:
        if isinstance(it, ImageMark):
            out.extend(by_src.pop(it.src, []))
        else:
            out.append(it)
    return _renumber(out), notes, converter


def _page(line: Line) -> int:
    loc = line.locator or (line.cells[0].locator if line.cells else None) or {}
    return int(loc.get("page", 1))


def _relocate(line: Line, src: str, page_src: list[str]) -> Line:
    """A scan line whose locators also name the image (and its page within the image)."""

    def where(loc: Mapping[str, Any] | None) -> Mapping[str, Any] | None:
        if not loc or "page" not in loc:
            return loc
        first = page_src.index(src) + 1
        return {**loc, "image": src if not src.startswith("data:") else "data: URI", "page": loc["page"] - first + 1}

    cells = tuple(replace(c, locator=where(c.locator)) for c in line.cells)
    return replace(line, cells=cells, locator=where(line.locator))


def _renumber(lines: list[Line]) -> list[Line]:
    """Table indices in order of appearance (the page's tables and the scan's were counted apart)."""
    seen: dict[tuple[bool, int], int] = {}
    out = []
    for line in lines:
        if line.table is None:
            out.append(line)
            continue
        scanned = any(c.locator and "image" in c.locator for c in line.cells)
        key = (scanned, line.table)
        if key not in seen:
            seen[key] = len(seen)
        out.append(replace(line, table=seen[key]) if seen[key] != line.table else line)
    return out
