"""Fujian's TRS-based portals (数字福建 ``list2.trsapi`` lists, "动静结合"): the first
``maxStaticIndex`` pages are static ``index_N.htm``; the later ones are what the site's own list
script loads: ``POST /fjdzapp/search`` with ``channelid`` = ``SiteInfo.searchId``, the ``listArgs``
(``classsql=chnlid=…``, ``sortfield``), ``page`` and ``prepage`` → JSON ``{page, prepage, pageCount,
recordCount, data: [{doctitle, docpuburl, chnldocurl, docreltime, …}]}``. A page without the search
settings keeps its later pages counted as unreachable."""

from __future__ import annotations

import json
import math
import re
from urllib.parse import parse_qsl, urljoin

from .base import CmsFamily, ListFetch, ListResult, Page, column_dir
from .trs import Trs, _EXT_RE
from ..htmlmeta import Link, absolute, links

_MAX_STATIC = re.compile(r"maxStaticIndex\s*:\s*['\"]?(\d+)")
_PREPAGE = re.compile(r"prepage\s*:\s*['\"]?(\d+)")
_RECORDS = re.compile(r"recordCount\s*:\s*['\"]?(\d+)")
_SEARCH_ID = re.compile(r"searchId\s*:\s*['\"]?(\d+)")
_LIST_ARGS = re.compile(r"listArgs\s*:\s*\{(.*?)\}", re.S)
_ARG = re.compile(r"(\w+)\s*:\s*([^\n]+?)\s*,?\s*(?:\n|$)")
_QUOTED = re.compile(r"""'([^']*)'|"([^"]*)\"""")
SEARCH_PATH = "/fjdzapp/search"


def _js_value(expr: str, page_text: str) -> str | None:
    """The value of a listArgs entry: the last non-empty string of ``"" || "chnlid=1813"``,
    ``SiteInfo.searchId`` resolved on the page, or a bare number."""
    strings = [a or b for a, b in _QUOTED.findall(expr)]
    strings = [s for s in strings if s]
    if strings:
        return strings[-1]
    if "searchId" in expr:
        m = _SEARCH_ID.search(page_text)
        return m.group(1) if m else None
    bare = expr.strip().rstrip(",").strip()
    return bare if re.fullmatch(r"[\w.-]+", bare) and not bare.startswith("SiteInfo") else None


def search_form(text: str) -> dict[str, str] | None:
    """The search API's fields announced by the page (without page/prepage), or None."""
    m = _LIST_ARGS.search(text)
    if not m:
        return None
    form = {}
    for key, expr in _ARG.findall(m.group(1) + "\n"):
        val = _js_value(expr, text)
        if val is not None:
            form[key] = val
    return form if form.get("channelid") else None


def api_fetch(page_url: str, form: dict[str, str], page: int, prepage: int) -> ListFetch:
    fields = {**form, "page": str(page), "prepage": str(prepage)}
    return ListFetch(
        urljoin(page_url, SEARCH_PATH), method="POST", formdata=tuple(sorted(fields.items())), payload="fjdz_json"
    )


class Fjdzapp(CmsFamily):
    name = "fjdzapp"
    markers = (
        re.compile(r"list2\.trsapi"),
        re.compile(r"/fjdzapp/"),
        re.compile(r"maxStaticIndex\s*:"),
        re.compile(r"quickMode\s*:"),
    )

    def list_page(self, page: Page) -> ListResult:
        found = tuple(links(page.sel, page.url))
        trs = Trs().more_pages(page)
        if trs:  # the template also kept a createPageHTML call
            return ListResult(found, tuple(trs))
        ms, pp, rc = (_MAX_STATIC.search(page.text), _PREPAGE.search(page.text), _RECORDS.search(page.text))
        if not (pp and rc):
            return ListResult(found)
        prepage = max(1, int(pp.group(1)))
        total = math.ceil(int(rc.group(1)) / prepage)
        static_last = int(ms.group(1)) if ms else 0
        ext = (_EXT_RE.search(page.url).group(1) if _EXT_RE.search(page.url) else "htm").lower()
        base = column_dir(page.url)
        more = [ListFetch(f"{base}index_{n}.{ext}") for n in range(1, min(static_last, total - 1) + 1)]
        beyond = max(0, total - 1 - static_last)  # static index_N is page N+1 of the search API
        form = search_form(page.text)
        if form is None or not beyond:
            return ListResult(found, tuple(more), beyond)
        more += [api_fetch(page.url, form, n, prepage) for n in range(static_last + 2, total + 1)]
        return ListResult(found, tuple(more))

    def payload(self, kind, url, text, formdata=()):
        if kind != "fjdz_json":
            return super().payload(kind, url, text, formdata)
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ValueError(f"fjdzapp search did not return JSON: {exc.msg}") from None
        if not isinstance(data, dict) or data.get("error") not in (None, False):
            raise ValueError(f"fjdzapp search answered an error: {str(data)[:200]}")
        found = []
        for it in data.get("data") or []:
            href = isinstance(it, dict) and (it.get("docpuburl") or it.get("chnldocurl") or it.get("url"))
            u = absolute(url, str(href)) if href else None
            if u:
                title = str(it.get("doctitle") or "")
                found.append(Link(u, title, title))
        form = dict(formdata or parse_qsl(url.split("?", 1)[-1]))
        more: list[ListFetch] = []
        page, count = _int(data.get("page")), _int(data.get("pageCount"))
        if page and count and page < count and form.get("channelid"):  # the site knows more than the page said
            prepage = _int(data.get("prepage")) or _int(form.get("prepage")) or 10
            base = {k: v for k, v in form.items() if k not in ("page", "prepage")}
            more = [api_fetch(url, base, n, prepage) for n in range(page + 1, count + 1)]
        return ListResult(tuple(found), tuple(more))


def _int(v) -> int:
    try:
        return int(v)
    except (TypeError, ValueError):
        return 0
