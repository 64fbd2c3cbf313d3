"""Hanweb (大汉) JCMS: the first records embedded as ``<datastore><recordset><record><![CDATA[…]]>``,
further records by POST to ``/module/web/jpage/dataproxy.jsp?startrecord=&endrecord=&perpage=``
with the fields of ``jpage({... ajaxParam: {...}})``."""

from __future__ import annotations

import re
from urllib.parse import urljoin

from parsel import Selector

from .base import CmsFamily, ListFetch, ListResult, Page
from ..htmlmeta import Link, links

_RECORD_RE = re.compile(r"<record>\s*<!\[CDATA\[(.*?)\]\]>\s*</record>", re.S | re.I)
_JPAGE_RE = re.compile(r"\.jpage\s*\(\s*\{(.*?)\}\s*\)\s*;?", re.S)
_AJAX_RE = re.compile(r"ajaxParam\s*:\s*\{(.*?)\}", re.S)
_PAIR_RE = re.compile(r"""['"]?(\w+)['"]?\s*:\s*(?:'([^']*)'|"([^"]*)"|([^,}\s]+))""")
_TOTAL_XML_RE = re.compile(r"<totalrecord>\s*(\d+)\s*</totalrecord>", re.I)
DEFAULT_PROXY = "/module/web/jpage/dataproxy.jsp"


def _pairs(body: str) -> dict[str, str]:
    out = {}
    for m in _PAIR_RE.finditer(body):
        val = next((g for g in m.groups()[1:] if g is not None), "")
        out[m.group(1)] = val
    return out


def records(text: str, base_url: str) -> list[Link]:
    """Article links inside the CDATA records of a datastore (page or data-proxy XML)."""
    out: list[Link] = []
    for chunk in _RECORD_RE.findall(text):
        out.extend(links(Selector(text=f"<div>{chunk}</div>", type="html"), base_url))
    return out


def jpage_config(text: str) -> dict | None:
    m = _JPAGE_RE.search(text)
    if not m:
        return None
    body = m.group(1)
    ajax = _AJAX_RE.search(body)
    params = _pairs(ajax.group(1)) if ajax else {}
    flat = _pairs(_AJAX_RE.sub("", body))
    return {"params": params, **flat}


def _int(v, default: int) -> int:
    try:
        return int(str(v).strip("'\""))
    except (TypeError, ValueError):
        return default


def chunk_fetches(page_url: str, cfg: dict, have: int, total: int | None) -> list[ListFetch]:
    per = max(1, _int(cfg.get("perPage"), 15))
    group = max(1, _int(cfg.get("groupSize"), 3))
    step = per * group
    proxy = urljoin(page_url, cfg.get("proxyUrl") or DEFAULT_PROXY)
    form = tuple(sorted((k, v) for k, v in cfg.get("params", {}).items()))
    out = []
    start = have + 1
    last = total if total else have + step  # unknown total: ask for one more group, then see
    while start <= last:
        end = min(start + step - 1, last) if total else start + step - 1
        sep = "&" if "?" in proxy else "?"
        out.append(
            ListFetch(
                f"{proxy}{sep}startrecord={start}&endrecord={end}&perpage={per}",
                method="POST",
                formdata=form,
                payload="hanweb_xml",
            )
        )
        start = end + 1
    return out


class Hanweb(CmsFamily):
    name = "hanweb"
    markers = (
        re.compile(r"<datastore>", re.I),
        re.compile(r"\.jpage\s*\("),
        re.compile(r"dataproxy\.jsp"),
        re.compile(r"/art/\d{4}/\d{1,2}/\d{1,2}/art_\d+_\d+\.html"),
        re.compile(r"/col/col\d+/"),
    )

    def list_page(self, page: Page) -> ListResult:
        recs = records(page.text, page.url)
        plain = links(page.sel, page.url)
        cfg = jpage_config(page.text)
        more: list[ListFetch] = []
        if cfg is not None and recs:
            total = _int(cfg.get("totalRecord"), 0) or None
            if total is None or total > len(recs):
                more = chunk_fetches(page.url, cfg, len(recs), total)
        return ListResult(tuple(recs + plain), tuple(more))

    def payload(self, kind, url, text, formdata=()):
        if kind != "hanweb_xml":
            return super().payload(kind, url, text, formdata)
        recs = records(text, url)
        more: list[ListFetch] = []
        m_total = _TOTAL_XML_RE.search(text)
        # unknown total and a full chunk back: there may be more
        q = dict(p.split("=", 1) for p in url.split("?", 1)[-1].split("&") if "=" in p)
        start, end = _int(q.get("startrecord"), 1), _int(q.get("endrecord"), 0)
        if not m_total and recs and end and len(recs) >= end - start + 1:
            per = _int(q.get("perpage"), 15)
            cfg = {
                "perPage": per,
                "groupSize": max(1, (end - start + 1) // max(1, per)),
                "proxyUrl": url.split("?", 1)[0],
                "params": dict(formdata),
            }
            more = chunk_fetches(url, cfg, end, None)
        return ListResult(tuple(recs), tuple(more))
