"""Guangdong's gkmlpt (政府信息公开目录平台): a JavaScript app whose pages carry ``window._CONFIG =
{SID: …}`` and list a category through the JSON API ``{prefix}/gkmlpt/api/all/{category}?page=N&sid=SID``.

The annual-report category is found, in this order: the start URL's fragment
(``…/gkmlpt/annualreport#2629``, ``…/gkmlpt/index#2145``), fragment links on the page whose text is
a column name (``href="#2571"``), the category tree in ``window._CONFIG`` (by name), the site's tree
API; failing all, the all-articles listing ``/gkmlpt/api/all/0`` filtered by report titles.
Pages of a listing come from its ``total``."""

from __future__ import annotations

import json
import math
import re
from urllib.parse import parse_qs, urlsplit

from .base import CmsFamily, ListFetch, ListResult, Page
from .gkmlpt_config import app_prefix, config_tree, report_categories, site_id, tree_api
from ..discovery import is_column_text
from ..htmlmeta import Link, absolute, links

_CAT_FRAGMENT = re.compile(r"^#?(\d+)$")
ALL_ARTICLES = "0"

__all__ = ["Gkmlpt", "api_url", "category_ids", "site_id"]


def category_ids(page: Page) -> list[str]:
    """Category ids the page names: its URL fragment, then fragment links named like the column."""
    out = []
    m = _CAT_FRAGMENT.match(urlsplit(page.url).fragment or "")
    if m:
        out.append(m.group(1))
    for a in page.sel.xpath("//a[@href]"):
        href = a.attrib.get("href", "")
        text = " ".join(t.strip() for t in a.xpath(".//text()").getall() if t.strip())
        f = href.split("#", 1)[1] if "#" in href else ""
        if _CAT_FRAGMENT.match(f) and is_column_text(text or a.attrib.get("title", "")):
            out.append(f)
    return list(dict.fromkeys(out))


def api_url(page_url: str, category: str, sid: str, page: int) -> str:
    return f"{app_prefix(page_url)}/gkmlpt/api/all/{category}?page={page}&sid={sid}"


def _listing(page_url: str, category: str, sid: str) -> ListFetch:
    return ListFetch(api_url(page_url, category, sid, 1), payload="gkmlpt_json")


class Gkmlpt(CmsFamily):
    name = "gkmlpt"
    markers = (re.compile(r"window\._CONFIG\s*="), re.compile(r"/gkmlpt/"), re.compile(r"gkmlpt"))

    def list_page(self, page: Page) -> ListResult:
        sid = site_id(page.text)
        found = tuple(links(page.sel, page.url))
        if not sid:
            return ListResult(found)
        cats = category_ids(page)
        if not cats:
            tree = config_tree(page.text)
            cats = report_categories(tree) if tree is not None else []
            if tree is None:  # ask the site's tree; when it has none, list everything
                url = f"{app_prefix(page.url)}{tree_api(page.text)}?sid={sid}"
                if tree_api(page.text).startswith("http"):
                    url = f"{tree_api(page.text)}?sid={sid}"
                return ListResult(
                    found, (ListFetch(url, payload="gkmlpt_tree", fallback=_listing(page.url, ALL_ARTICLES, sid)),)
                )
        if not cats:  # a tree without a 年报 category: the all-articles listing, filtered by title
            cats = [ALL_ARTICLES]
        return ListResult(found, tuple(_listing(page.url, c, sid) for c in cats))

    def payload(self, kind, url, text, formdata=()):
        if kind == "gkmlpt_tree":
            return self._tree(url, text)
        if kind != "gkmlpt_json":
            return super().payload(kind, url, text, formdata)
        data = _json(text, "gkmlpt API")
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
        return ListResult(tuple(found), tuple(_more_pages(url, data, len(found))))

    def _tree(self, url: str, text: str) -> ListResult:
        sid = (parse_qs(urlsplit(url).query).get("sid") or [""])[0]
        cats = report_categories(_json(text, "gkmlpt tree API")) or [ALL_ARTICLES]
        return ListResult((), tuple(_listing(url, c, sid) for c in cats))


def _json(text: str, what: str):
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValueError(f"{what} did not return JSON: {exc.msg}") from None
    if not isinstance(data, (dict, list)):
        raise ValueError(f"{what} returned {type(data).__name__}, not an object")
    return data if isinstance(data, dict) else {"data": data}


def _more_pages(url: str, data: dict, n_found: int) -> list[ListFetch]:
    """Page 1 announces the others through ``total`` (and ``page_size``, else its own length)."""
    q = parse_qs(urlsplit(url).query)
    page_no = int((q.get("page") or ["1"])[0])
    total = data.get("total") or data.get("count")
    if page_no != 1 or not isinstance(total, int) or not n_found:
        return []
    per = int(data.get("page_size") or data.get("pageSize") or n_found)
    base, sid = url.split("?", 1)[0], (q.get("sid") or [""])[0]
    return [
        ListFetch(f"{base}?page={n}&sid={sid}", payload="gkmlpt_json")
        for n in range(2, math.ceil(total / max(1, per)) + 1)
    ]
