"""Fallback: follow "下一页" links and ``?page=N`` style pagination."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from .base import CmsFamily, ListFetch, Page
from ..htmlmeta import links

_NEXT_TEXT = re.compile(r"^(下一页|下页|后一页|next|›|»|>|>>)$", re.I)
_PAGE_PARAM = re.compile(r"(?:^|&)(page|pageno|pageindex|pagenum|curpage|cur_page|currentpage|p)=\d+", re.I)
_PAGE_NUM_TEXT = re.compile(r"^\d{1,4}$|^(首页|尾页|末页|上一页|上页|first|last|prev)$", re.I)


class Generic(CmsFamily):
    name = "generic"

    def more_pages(self, page: Page) -> list[ListFetch]:
        here = urlsplit(page.url)
        out = []
        for link in links(page.sel, page.url):
            u = urlsplit(link.url)
            if u.netloc != here.netloc:
                continue
            text = link.text.strip()
            same_path = u.path == here.path
            if _NEXT_TEXT.match(text):
                out.append(ListFetch(link.url))
            elif same_path and _PAGE_PARAM.search(u.query) and (_PAGE_NUM_TEXT.match(text) or not text):
                out.append(ListFetch(link.url))
        return out
