"""Guangdong's gkmlpt (政府信息公开目录平台): ``window._CONFIG = {SID: …}`` on the page and the JSON API
``/gkmlpt/api/all/{category}?page=N&sid=SID``; categories are fragment links (``#2571``)."""
from __future__ import annotations

import json
import math
import re
from urllib.parse import parse_qs, urljoin, urlsplit

from .base import CmsFamily, ListFetch, ListResult, Page
from ..discovery import is_column_text
from ..htmlmeta import Link, absolute, links

_CONFIG_RE = re.compile(r"window\._CONFIG\s*=\s*\{(.*?)\}\s*;?", re.S)
_SID_RE = re.compile(r"""['"]?SID['"]?\s*:\s*['"]?([\w-]+)""")
_CAT_FRAGMENT = re.compile(r"^#?(\d+)$")


def site_id(text: str) -> str | None:
    m = _CONFIG_RE.search(text)
    if not m:
        return None
    sid = _SID_RE.search(m.group(1))
    return sid.group(1) if sid else None


def category_ids(page: Page) -> list[str]:
    """Category ids of annual-report columns linked on the page (``href="#2571"``)."""
    out = []
    frag = urlsplit(page.url).fragment
    if _CAT_FRAGMENT.match(frag or ""):
        out.append(_CAT_FRAGMENT.match(frag).group(1))
    for a in page.sel.xpath("//a[@href]"):
        href = a.attrib.get("href", "")
        text = " ".join(t.strip() for t in a.xpath(".//text()").getall() if t.strip())
        f = href.split("#", 1)[1] if "#" in href else ""
        if _CAT_FRAGMENT.match(f) and is_column_text(text or a.attrib.get("title", "")):
            out.append(f)
    return list(dict.fromkeys(out))


def api_url(page_url: str, category: str, sid: str, page: int) -> str:
    return urljoin(page_url, f"/gkmlpt/api/all/{category}?page={page}&sid={sid}")


class Gkmlpt(CmsFamily):
    name = "gkmlpt"
    markers = (re.compile(r"window\._CONFIG\s*="), re.compile(r"/gkmlpt/"), re.compile(r"gkmlpt"))

    def list_page(self, page: Page) -> ListResult:
        sid = site_id(page.text)
        found = links(page.sel, page.url)
        if not sid:
            return ListResult(tuple(found))
        more = tuple(ListFetch(api_url(page.url, c, sid, 1), payload="gkmlpt_json") for c in category_ids(page))
        return ListResult(tuple(found), more)

    def payload(self, kind, url, text, formdata=()):
        if kind != "gkmlpt_json":
            return super().payload(kind, url, text, formdata)
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ValueError(f"gkmlpt API did not return JSON: {exc.msg}") from None
        items = data.get("articles") or data.get("data") or data.get("list") or []
        if isinstance(items, dict):
            items = items.get("articles") or items.get("list") or []
        found = []
        for it in items if isinstance(items, list) else []:
            if not isinstance(it, dict):
                continue
            href = it.get("url") or it.get("link") or it.get("href")
            title = str(it.get("title") or "")
            u = absolute(url, str(href)) if href else None
            if u:
                found.append(Link(u, title, title))
        more: list[ListFetch] = []
        q = parse_qs(urlsplit(url).query)
        page_no = int((q.get("page") or ["1"])[0])
        total = data.get("total") or data.get("count")
        if page_no == 1 and isinstance(total, int) and found:
            per = int(data.get("page_size") or data.get("pageSize") or len(found))
            pages = math.ceil(total / max(1, per))
            base = url.split("?", 1)[0]
            sid = (q.get("sid") or [""])[0]
            more = [ListFetch(f"{base}?page={n}&sid={sid}", payload="gkmlpt_json") for n in range(2, pages + 1)]
        return ListResult(tuple(found), tuple(more))
