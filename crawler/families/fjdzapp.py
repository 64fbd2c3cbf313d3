"""Fujian's TRS-based portals (数字福建 ``list2.trsapi`` lists, "动静结合"): the first
``maxStaticIndex`` pages are static ``index_N.htm``; later pages come only from the site's search
API, which we do not call, and are counted as unreachable."""
from __future__ import annotations

import math
import re

from .base import CmsFamily, ListFetch, ListResult, Page, column_dir
from .trs import Trs, _EXT_RE
from ..htmlmeta import links

_MAX_STATIC = re.compile(r"maxStaticIndex\s*:\s*['\"]?(\d+)")
_PREPAGE = re.compile(r"prepage\s*:\s*['\"]?(\d+)")
_RECORDS = re.compile(r"recordCount\s*:\s*['\"]?(\d+)")


class Fjdzapp(CmsFamily):
    name = "fjdzapp"
    markers = (re.compile(r"list2\.trsapi"), re.compile(r"/fjdzapp/"), re.compile(r"maxStaticIndex\s*:"),
               re.compile(r"quickMode\s*:"))

    def list_page(self, page: Page) -> ListResult:
        found = tuple(links(page.sel, page.url))
        trs = Trs().more_pages(page)
        if trs:  # the template also kept a createPageHTML call
            return ListResult(found, tuple(trs))
        ms, pp, rc = (_MAX_STATIC.search(page.text), _PREPAGE.search(page.text), _RECORDS.search(page.text))
        if not (pp and rc):
            return ListResult(found)
        total = math.ceil(int(rc.group(1)) / max(1, int(pp.group(1))))
        static_last = int(ms.group(1)) if ms else 0
        ext = (_EXT_RE.search(page.url).group(1) if _EXT_RE.search(page.url) else "htm").lower()
        base = column_dir(page.url)
        more = [ListFetch(f"{base}index_{n}.{ext}") for n in range(1, min(static_last, total - 1) + 1)]
        unreachable = max(0, total - 1 - static_last)
        return ListResult(found, tuple(more), unreachable)
