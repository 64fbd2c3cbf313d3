"""Small readers of an HTML page: meta tags, meta refresh, title, links."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit, urlunsplit

from parsel import Selector

MAX_META = 40
MAX_META_LEN = 500
_SKIP_META = {"viewport", "renderer", "format-detection", "x-ua-compatible"}
_REFRESH_RE = re.compile(r"^\s*\d*(?:\.\d+)?\s*[;,]?\s*(?:url\s*=\s*)?['\"]?([^'\"]*)['\"]?\s*$", re.I)
_JS_LOCATION_RE = re.compile(
    r"(?:window\.|top\.|self\.|document\.)?location(?:\.href)?\s*(?:=|\.replace\(|\.assign\()\s*['\"]([^'\"]+)['\"]"
)
_INDEX_RE = re.compile(r"/(index|default)(_0)?\.(s?html?|jsp|php|aspx?)$", re.I)


@dataclass(frozen=True)
class Link:
    url: str
    text: str
    title: str = ""  # the title attribute, often the untruncated text

    @property
    def label(self) -> str:
        return self.title or self.text


def meta_tags(sel: Selector) -> dict[str, str]:
    """``<meta name=… content=…>`` pairs (ArticleTitle, PubDate, ColumnName, SiteIDCode, …)."""
    out: dict[str, str] = {}
    for node in sel.xpath("//meta[@name and @content]"):
        name = (node.attrib.get("name") or "").strip()
        if not name or name.lower() in _SKIP_META or name in out:
            continue
        content = (node.attrib.get("content") or "").strip()
        if content:
            out[name] = content[:MAX_META_LEN]
        if len(out) >= MAX_META:
            break
    return out


def page_title(sel: Selector, meta: dict[str, str]) -> str:
    """ArticleTitle meta, else the first h1, else the <title> up to its first '_' or '-' part."""
    for key in ("ArticleTitle", "articletitle", "Title"):
        if meta.get(key):
            return meta[key]
    h1 = " ".join(t.strip() for t in sel.xpath("//h1//text()").getall()).strip()
    if h1:
        return h1
    title = " ".join(sel.xpath("//title//text()").getall()).strip()
    return re.split(r"[_|]| - ", title)[0].strip()


_AGENCY = re.compile(r"政府|人民|委员会|管委会|局|厅|办公室|办事处")
_SECTION = re.compile(r"信息公开|政务公开|首页|专栏|目录")


def site_name(sel: Selector, meta: dict[str, str]) -> str:
    """The portal's name: the SiteName meta, else the part of ``<title>`` that names an agency
    (``首页 - 示例市人民政府``), else the last part of it."""
    for key in ("SiteName", "sitename", "siteName"):
        if meta.get(key):
            return meta[key].strip()
    title = " ".join(sel.xpath("//title//text()").getall()).strip()
    parts = [p.strip() for p in re.split(r"[_|—]| - |-", title) if p.strip()]
    named = [p for p in parts if _AGENCY.search(p) and not _SECTION.search(p)]
    return (named or parts or [""])[-1 if not named else 0]


def refresh_target(sel: Selector, base_url: str, body_len: int) -> str | None:
    """Where a meta refresh (or, on a tiny page, a bare script redirect) sends the reader."""
    for content in sel.xpath("//meta[translate(@http-equiv,'REFSH','refsh')='refresh']/@content").getall():
        m = _REFRESH_RE.match(content)
        if m and m.group(1).strip():
            return urljoin(base_url, m.group(1).strip())
    if body_len < 2048:
        for script in sel.xpath("//script/text()").getall():
            m = _JS_LOCATION_RE.search(script)
            if m:
                return urljoin(base_url, m.group(1).strip())
    return None


def _norm(url: str) -> tuple[str, str, str]:
    p = urlsplit(url)
    path = _INDEX_RE.sub("/", p.path or "/")
    return p.scheme, p.netloc.lower(), path


def is_self(url: str, target: str) -> bool:
    """A refresh onto the very same URL (``/`` → ``/index.html`` is *not* self: it is a real hop)."""
    return url.split("#", 1)[0] == target.split("#", 1)[0]


def is_ancestor(url: str, target: str) -> bool:
    """True when ``target`` is the directory holding ``url`` or one above it (same host)."""
    s1, h1, p1 = _norm(url)
    s2, h2, p2 = _norm(target)
    if h1 != h2 or (s1, h1, p1) == (s2, h2, p2):
        return False
    if not p2.endswith("/"):
        return False
    return p1.startswith(p2)


def links(sel: Selector, base_url: str) -> list[Link]:
    """Every followable ``<a href>`` (and iframe/embed src) as an absolute URL without fragment."""
    out: list[Link] = []
    base = sel.xpath("//head/base/@href").get()
    if base:
        base_url = absolute(base_url, base) or base_url
    for a in sel.xpath("//a[@href]"):
        href = (a.attrib.get("href") or "").strip()
        if not href or href.startswith(("javascript:", "mailto:", "tel:", "#")):
            continue
        url = absolute(base_url, href)
        if not url:
            continue
        text = " ".join(t.strip() for t in a.xpath(".//text()").getall() if t.strip())
        out.append(Link(url, text, (a.attrib.get("title") or "").strip()))
    for node in sel.xpath("//iframe[@src]|//embed[@src]|//object[@data]"):
        src = (node.attrib.get("src") or node.attrib.get("data") or "").strip()
        url = absolute(base_url, src) if src else None
        if url:
            out.append(Link(url, ""))
    return out


def absolute(base_url: str, href: str) -> str | None:
    try:
        url = urljoin(base_url, href.strip())
        p = urlsplit(url)
    except ValueError:
        return None
    if p.scheme not in ("http", "https") or not p.netloc:
        return None
    return urlunsplit((p.scheme, p.netloc, p.path or "/", p.query, ""))


def fragment(href: str) -> str:
    return urlsplit(href).fragment
