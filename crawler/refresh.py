"""An HTML page's ``<meta name=…>`` tags and its meta refresh: a refresh to the page's parent, the
site root or a list page of the column means the page was withdrawn (``gone``); one elsewhere is
followed by the spider (Scrapy's MetaRefreshMiddleware is off: it cannot tell the two apart)."""

from __future__ import annotations

from typing import Callable

from parsel import Selector
from scrapy.http import TextResponse

from .htmlmeta import is_ancestor, is_self, meta_tags, refresh_target
from .outcomes import Outcome


def read_page(
    response: TextResponse, out: Outcome, known_list: Callable[[str], bool]
) -> tuple[dict, Outcome, str | None]:
    """(meta tags, the outcome, a refresh target to follow or None)."""
    sel = Selector(text=response.text, type="html")
    tags = meta_tags(sel)
    target = refresh_target(sel, response.url, len(response.body))
    if not target or is_self(response.url, target):
        return tags, out, None
    if is_ancestor(response.url, target) or known_list(target):
        return tags, Outcome("gone", f"page refreshes to its parent {target}"), None
    return tags, Outcome(out.outcome, f"meta refresh to {target}"), target
