"""What every CMS family knows: how to spot itself, where a column's articles are, how it paginates."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

from parsel import Selector

from ..htmlmeta import Link, links


@dataclass(frozen=True)
class Page:
    url: str
    text: str
    sel: Selector

    @classmethod
    def from_text(cls, url: str, text: str) -> "Page":
        return cls(url, text, Selector(text=text or "<html></html>", type="html"))


@dataclass(frozen=True)
class ListFetch:
    """A further page of a column: a static page, a POST to a data proxy, or a JSON API call."""

    url: str
    method: str = "GET"
    formdata: tuple[tuple[str, str], ...] = ()
    payload: str = "html"  # html | hanweb_xml | gkmlpt_json | gkmlpt_tree | fjdz_json
    # asked for instead when this one fails (an error status, or a payload that cannot be read):
    # a site's tree API that may not exist falls back to its all-articles listing
    fallback: "ListFetch | None" = None


@dataclass(frozen=True)
class ListResult:
    articles: tuple[Link, ...]
    more: tuple[ListFetch, ...] = ()
    unreachable_pages: int = 0  # pages the family knows exist but cannot fetch statically


class CmsFamily:
    """Base class: a family is detected from markers and yields article links and further pages."""

    name = "generic"
    markers: tuple[re.Pattern, ...] = ()

    def score(self, page: Page) -> int:
        return sum(1 for rx in self.markers if rx.search(page.text))

    def list_page(self, page: Page) -> ListResult:
        """Article candidates on an HTML column/list page and the further pages it announces."""
        return ListResult(tuple(links(page.sel, page.url)), tuple(self.more_pages(page)))

    def more_pages(self, page: Page) -> list[ListFetch]:
        return []

    def payload(self, kind: str, url: str, text: str, formdata: tuple[tuple[str, str], ...] = ()) -> ListResult:
        """Parse a non-HTML list payload (data-proxy XML, JSON API)."""
        raise ValueError(f"{self.name} has no {kind} payloads")


def column_dir(url: str) -> str:
    """``…/col/index_3.html`` → ``…/col/``."""
    p = urlsplit(url)
    path = p.path if p.path.endswith("/") else p.path.rsplit("/", 1)[0] + "/"
    return urlunsplit((p.scheme, p.netloc, path, "", ""))
