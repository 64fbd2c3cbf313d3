"""The one request-meta structure of the crawler: ``request.meta[KEY]`` holds a frozen ``GkMeta``.

The spider says what a request is for (``kind``, where it was linked from, the title and year the
list gave, the list payload to expect); the download side answers in ``fetched`` (outcome, sha256 of
the stored body, format, page meta tags, a meta refresh to follow). Every component replaces the
whole value (``dataclasses.replace``) instead of adding keys, so what travels between the spider,
the downloader middlewares and the pipelines is one typed thing that JOBDIR can pickle.

Scrapy's own keys (``redirect_urls``, ``download_timeout``, ``retry_times``…) and the retry
middleware's notes (``crawler.retry``) stay where Scrapy puts them."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

from scrapy.http import Request

from .families.base import ListFetch
from .validators import Validator

KEY = "gongkai"


@dataclass(frozen=True)
class Fetched:
    """What the download side found: set once per response by the fetch log."""

    outcome: str
    sha256: str | None = None
    format: str = "empty"
    fetched_at: str = ""
    page_meta: dict = field(default_factory=dict)  # <meta name=…> tags of an HTML page
    stored_new: bool = False  # the bytes were not in the store before this fetch
    refresh_to: str | None = None  # a meta refresh the spider follows


@dataclass(frozen=True)
class GkMeta:
    kind: str = "other"  # home | column | list | article | attachment | robots | other
    referer: str | None = None  # the page that linked this URL
    hops: int = 0  # link hops from a start URL while looking for the column
    start: bool = False  # a start URL of the source
    # an article: the title and year its list gave; unsure = a truncated list title
    list_title: str | None = None
    year: int | None = None
    unsure: bool = False
    # a report file: the page that linked it, its title, the link text, the page's PubDate
    page_url: str | None = None
    title: str | None = None
    link_text: str = ""
    pub_date: str | None = None
    # a list payload (data-proxy XML, JSON API) and the listing asked for when it fails
    family: str | None = None
    payload: str | None = None
    formdata: tuple[tuple[str, str], ...] = ()
    fallback: ListFetch | None = None
    # the download side
    validator: Validator | None = None  # sent as If-None-Match / If-Modified-Since (crawler.conditional)
    cookie_retry: bool = False  # the one retry after a plain Set-Cookie challenge
    recorded: bool = False  # its fetch record was written (once per request)
    fetched: Fetched | None = None


def of(request_or_response) -> GkMeta:
    """The request's GkMeta (a default one for requests the spider did not make, e.g. robots.txt)."""
    value = request_or_response.meta.get(KEY)
    return value if isinstance(value, GkMeta) else GkMeta()


def update(request: Request, **changes) -> GkMeta:
    """Replace the request's GkMeta with a copy carrying ``changes``; return it."""
    new = dataclasses.replace(of(request), **changes)
    request.meta[KEY] = new
    return new


def meta_for(**fields) -> dict:
    """``meta=`` of a new request."""
    return {KEY: GkMeta(**fields)}
