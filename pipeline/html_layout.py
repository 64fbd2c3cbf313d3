"""HTML report pages (TRS, Hanweb, …) and mammoth's DOCX HTML → Layout.

Tables become grid rows with rowspan/colspan expanded; everything else becomes text lines at block
boundaries. Pages declared gb2312/gbk are decoded as GB18030 (their superset, which is what the
servers really send); undeclared pages are sniffed.
"""

from __future__ import annotations

import codecs
import re
from typing import Any, Iterator, Mapping, cast

import lxml.etree
import lxml.html

from .html_images import ImageMark, image_src, read_images, report_images, wants_images
from .layout import Cell, Layout, Line
from .limits import Limits
from .normalize import squash
from .record import ParseError

BLOCK_TAGS = frozenset(
    """p div h1 h2 h3 h4 h5 h6 li ul ol section article blockquote pre center
    header footer main aside dl dt dd hr form fieldset address figure figcaption caption""".split()
)
SKIP_TAGS = frozenset("script style noscript template iframe object embed svg button select head".split())
CONTENT_HINTS = (
    "TRS_Editor",
    "TRS_UEDITOR",
    "trs_editor",
    "article_content",
    "zoom",
    "Zoom",
    "detail-content",
    "content_text",
    "art_con",
    "bt_content",
    "xxgk_content",
    "article-content",
)
MAX_SPAN_COLS = 64
MAX_SPAN_ROWS = 400
_CHARSET_RE = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.I)
_GB_FAMILY = {"gb2312", "gbk", "gb_2312", "gb_2312-80", "x-gbk", "gb18030", "cp936", "euc-cn", "hz-gb-2312"}
_HIDDEN_RE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)


def decode_html(data: bytes, declared: str | None = None) -> tuple[str, str]:
    """(text, encoding used). A declared gb2312/gbk is read as GB18030."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace"), "utf-16"
    if declared is None:
        m = _CHARSET_RE.search(data[:8192])
        declared = m.group(1).decode("ascii", "ignore").lower() if m else None
    tries = []
    if declared:
        usable = "gb18030" if declared.lower() in _GB_FAMILY else _text_codec(declared)
        if usable:
            tries.append(usable)
    tries += ["utf-8", "gb18030"]
    for enc in tries:
        try:
            return data.decode(enc), enc
        except (UnicodeDecodeError, LookupError):
            continue
    used = tries[0] if tries[0] != "utf-8" else "gb18030"
    return data.decode(used, errors="replace"), used + " (with replacements)"


def count_cells(text: str) -> int:
    """About how many <td>/<th> a page has, from its text (before parsing it)."""
    low = text.lower()
    return low.count("<td") + low.count("<th") - low.count("<thead")


def _text_codec(name: str) -> str | None:
    """A declared charset Python can decode text with; None for unknown names, byte codecs (hex,
    base64, ...) and UTF-16/32 without a BOM (browsers read those pages as UTF-8 too)."""
    try:
        info = codecs.lookup(name)
    except (LookupError, ValueError):
        return None
    if not getattr(info, "_is_text_encoding", True) or info.name.startswith(("utf-16", "utf-32")):
        return None
    return info.name


def _parse(text: str, limits: Limits) -> Any:
    cells = count_cells(text)
    if cells > limits.max_cells:
        raise ParseError(
            f"HTML page has about {cells:,} table cells, more than the limit of {limits.max_cells:,}", "too_large"
        )
    parser = lxml.html.HTMLParser(remove_comments=True, remove_pis=True, no_network=True, recover=True, huge_tree=False)
    try:
        root = lxml.html.document_fromstring(text, parser=parser)
    except (lxml.etree.ParserError, ValueError) as err:
        raise ParseError(f"not readable as HTML: {' '.join(str(err).split())[:160]}", "corrupt") from None
    if any(
        e.type == lxml.etree.ErrorTypes.ERR_RESOURCE_LIMIT or "Excessive depth" in e.message for e in parser.error_log
    ):
        # libxml2 stops at 255 levels and silently drops the rest of the page
        raise ParseError(
            "HTML nests deeper than 255 levels; refusing (the rest of the page would be lost)", "too_large"
        )
    depth = max_depth(root, limits.max_nesting)
    if depth > limits.max_nesting:
        raise ParseError(f"HTML nests deeper than {limits.max_nesting} levels; refusing", "too_large")
    return root


def max_depth(root: Any, stop: int) -> int:
    """Element depth of the tree below ``root``, counted up to ``stop + 1``."""
    depth = deepest = 0
    for event, _ in lxml.etree.iterwalk(root, events=("start", "end")):
        if event == "start":
            depth += 1
            if depth > deepest:
                deepest = depth
                if deepest > stop:
                    break
        else:
            depth -= 1
    return deepest


def _classes(el: Any) -> str:
    return (el.get("class") or "") + " " + (el.get("id") or "")


def find_container(root: Any) -> Any:
    """The element holding the report: a known content container (TRS_Editor, zoom, …), else the
    smallest ancestor of the 三 table that also holds the section headings, else the body."""
    found: dict[str, Any] = {}
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        names = set(_classes(el).split())
        for hint in names.intersection(CONTENT_HINTS):
            found.setdefault(hint, el)
    for hint in CONTENT_HINTS:
        el = found.get(hint)
        if el is not None and len(squash(el.text_content())) > 50:
            return el
    body = root.find("body")
    body = body if body is not None else root
    for table in body.iter("table"):
        if "本年新收" in squash(table.text_content()):
            el = table
            while el.getparent() is not None and el is not body:
                el = el.getparent()
                text = squash(el.text_content())
                if "总体情况" in text or "主动公开政府信息情况" in text:
                    return el
            break
    return body


def _meta(root: Any, name: str) -> str | None:
    for el in root.iter("meta"):
        if (el.get("name") or "").lower() == name.lower():
            v = (el.get("content") or "").strip()
            if v:
                return v
    return None


def _cell_text(td: Any) -> str:
    parts = []
    for t in td.itertext():
        parts.append(t)
    return "".join(parts).strip()


def _is_layout_table(table: Any) -> bool:
    if table.find(".//table") is not None:
        return True
    rows = _rows(table)
    if not rows:
        return True
    return all(len(tr.xpath("./td|./th")) <= 1 for tr in rows) and len(squash(table.text_content())) > 120


def _rows(table: Any) -> Any:
    return table.xpath("./tr|./thead/tr|./tbody/tr|./tfoot/tr")


def _int_attr(el: Any, name: str, cap: int) -> int:
    try:
        v = int(re.sub(r"\D", "", el.get(name) or "1") or 1)
    except ValueError:
        v = 1
    return max(1, min(v, cap))


def table_lines(table: Any, index: int, max_area: int = 100_000) -> list[Line]:
    """The rows of one table, merged cells expanded; refuses a grid of more than ``max_area``."""
    rows = _rows(table)
    n_rows = len(rows)
    occupied: set[tuple[int, int]] = set()
    area = 0  # grid cells claimed so far (merged cells count all they cover)
    starts: list[list[tuple[int, int, int, str]]] = [[] for _ in range(n_rows)]  # (col, span, rowspan, text)
    for r, tr in enumerate(rows):
        c = 0
        for td in tr.xpath("./td|./th"):
            if _HIDDEN_RE.search(td.get("style") or ""):
                continue
            while (r, c) in occupied:
                c += 1
            cs = _int_attr(td, "colspan", MAX_SPAN_COLS)
            rs = min(_int_attr(td, "rowspan", MAX_SPAN_ROWS), n_rows - r)
            starts[r].append((c, cs, rs, _cell_text(td)))
            area += cs * rs
            if area > max_area:
                raise ParseError(
                    f"HTML table {index + 1} spans more than {max_area:,} grid cells (rowspan/colspan); refusing",
                    "too_large",
                )
            for rr in range(r, r + rs):
                for cc in range(c, c + cs):
                    occupied.add((rr, cc))
            c += cs
    lines = []
    carried: list[tuple[int, int, int, int, str]] = []  # (until_row, col, span, from_row, text)
    for r in range(n_rows):
        cells = []
        carried = [x for x in carried if x[0] > r]
        for until, col, span, r0, text in carried:
            cells.append(
                Cell(text, col=col, span=span, continued=True, locator={"table": index, "row": r0, "col": col})
            )
        for col, span, rs, text in starts[r]:
            cells.append(Cell(text, col=col, span=span, locator={"table": index, "row": r, "col": col}))
            if rs > 1:
                carried.append((r + rs, col, span, r, text))
        cells.sort(key=lambda c: cast(int, c.col))  # every cell here has its col
        if cells:
            lines.append(Line(tuple(cells), table=index, row=r, locator={"table": index, "row": r}))
    return lines


def _walk(container: Any, limits: Limits, marks: frozenset[int] = frozenset()) -> Iterator[Line | ImageMark]:
    """Lines in document order: text lines at block boundaries and <br>, grid rows for tables, and an
    :class:`ImageMark` for each image whose ``id`` is in ``marks``."""
    for n, line in enumerate(_lines(container, limits.max_cells, marks), start=1):
        if n > limits.max_lines:
            raise ParseError(f"HTML page has more than {limits.max_lines:,} lines of text and table rows", "too_large")
        yield line


def _lines(container: Any, max_area: int, marks: frozenset[int] = frozenset()) -> Iterator[Line | ImageMark]:
    buf: list[str] = []
    para = 0
    tables = 0

    def flush() -> Line | None:
        nonlocal para
        text = "".join(buf).strip()
        buf.clear()
        if text:
            para += 1
            loc = {"paragraph": para}
            return Line((Cell(text, locator=loc),), locator=loc)
        return None

    stack: list[tuple[Any, bool]] = [(container, False)]
    while stack:
        el, done = stack.pop()
        if done:
            if el.tag in BLOCK_TAGS or el.tag in ("td", "th", "tr", "table"):
                line = flush()
                if line:
                    yield line
            if el.tail and el is not container:
                buf.append(el.tail)
            continue
        if not isinstance(el.tag, str) or el.tag in SKIP_TAGS or _HIDDEN_RE.search(el.get("style") or ""):
            if el.tail and el is not container:
                buf.append(el.tail)
            continue
        if el.tag in ("img", "a") and id(el) in marks:  # a marked link stands for its picture, text and all
            line = flush()
            if line:
                yield line
            yield ImageMark(image_src(el))
            if el.tail:
                buf.append(el.tail)
            continue
        if el.tag == "br":
            line = flush()
            if line:
                yield line
            if el.tail:
                buf.append(el.tail)
            continue
        if el.tag == "table" and not _is_layout_table(el):
            line = flush()
            if line:
                yield line
            yield from table_lines(el, tables, max_area)
            tables += 1
            if el.tail:
                buf.append(el.tail)
            continue
        if el.tag in BLOCK_TAGS or el.tag in ("td", "th", "tr", "table"):
            line = flush()
            if line:
                yield line
        if el.text:
            buf.append(el.text)
        stack.append((el, True))
        for child in reversed(list(el)):
            stack.append((child, False))
    line = flush()
    if line:
        yield line


def image_srcs(data: bytes, limits: Limits | None = None) -> list[str]:
    """The ``src`` of the images of a page's content that may be report pages (see
    :func:`pipeline.html_images.report_images`); [] for a page that cannot be read."""
    limits = limits or Limits()
    text, _ = decode_html(data)
    try:
        root = _parse(text, limits) if text.strip() else None
    except ParseError:
        return []
    if root is None:
        return []
    container = find_container(root)
    images = report_images(container)
    # most pages have no candidate image: answered without walking their text (the crawler asks of every article)
    # without marks, _walk yields no ImageMark
    if not images or not wants_images(cast(list[Line], list(_walk(container, limits)))):
        return []
    return [image_src(img) for img in images]


def html_to_layout(
    data: bytes,
    *,
    fmt: str = "html",
    converter: str | None = None,
    declared_encoding: str | None = None,
    limits: Limits | None = None,
    assets: Mapping[str, bytes] | None = None,
) -> Layout:
    """The page's Layout; a page whose report is its images reads them (``assets``: image bytes by
    ``src``, see :mod:`pipeline.html_images`)."""
    limits = limits or Limits()
    text, encoding = decode_html(data, declared_encoding)
    if not text.strip():
        raise ParseError("empty document: no text", "empty")
    root = _parse(text, limits)
    title = _meta(root, "ArticleTitle")
    if title is None:
        t = root.find(".//title")
        title = t.text_content().strip() if t is not None and t.text_content() else None
    container = find_container(root)
    lines = cast(tuple[Line, ...], tuple(_walk(container, limits)))  # no marks: no ImageMark
    converter = converter or f"lxml {lxml.etree.__version__} ({encoding})"
    warnings: tuple[str, ...] = ()
    images = report_images(container) if fmt == "html" and wants_images(lines) else []
    if images:
        items = list(_walk(container, limits, frozenset(id(img) for img in images)))
        got, notes, ocr = read_images(items, assets, limits)
        lines, warnings = tuple(got), tuple(notes)
        converter += f" + images: {ocr}" if ocr else ""
    if not lines:
        raise ParseError("the page has no text", "empty")
    return Layout(lines, format=fmt, converter=converter, pages=None, warnings=warnings, title_hint=title)
