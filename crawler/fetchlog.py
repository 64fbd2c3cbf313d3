"""The fetch log: one ``FetchRecord`` item per response and per failure (robots.txt, refusals and
304s included, which never reach the spider), handed to the item pipelines, and the answer the
spider reads in ``request.meta`` (``crawler.meta.Fetched``).

This downloader middleware only puts the parts together: what the body is (``crawler.pagebody``),
the outcome (``crawler.outcomes.for_response``), a page's meta tags and refresh
(``crawler.refresh``), keeping the body (``crawler.store.keep_body``); 304s are turned back into the stored
body before it sees them (``crawler.conditional``). Records leave through Scrapy's item pipelines
(``Scraper.start_itemproc_async``) because a downloader middleware cannot yield items."""

from __future__ import annotations

from urllib.parse import urlsplit

from scrapy.http import Request, Response
from scrapy.utils.defer import deferred_from_coro

from . import meta, outcomes, pagebody
from .component import CrawlerComponent
from .items import FetchRecord, utc_now
from .refresh import read_page
from .store import keep_body
from .retry import REFUSED, retries_note


def request_kind(request: Request) -> str:
    # robots.txt first: Scrapy's robots middleware makes that request, and a GkMeta (kind "other")
    # may have been put on it on its way (the recorded mark)
    if request.meta.get("dont_obey_robotstxt") and urlsplit(request.url).path == "/robots.txt":
        return "robots"
    if meta.KEY in request.meta:
        return meta.of(request).kind
    return "other"


def _requested(request: Request, response: Response | None = None) -> tuple[str, tuple[str, ...]]:
    """The first URL asked for, and every URL of the redirect chain ending where we got (or failed)."""
    chain = list(request.meta.get("redirect_urls") or ())
    if not chain:
        return request.url, ()
    return chain[0], tuple(chain + [response.url if response is not None else request.url])


def _with_notes(reason: str | None, request: Request) -> str | None:
    """The reason, plus a refused Retry-After and the retries made before this answer."""
    fallback = meta.of(request).fallback  # a listing that replaces this one when it fails
    then = f"falls back to {fallback.url}" if fallback is not None and reason else None
    parts = [p for p in (reason, request.meta.get(REFUSED), retries_note(request.meta), then) if p]
    return "; ".join(parts) or None


def _record(spider, request: Request, response: Response | None, out: outcomes.Outcome, **fields) -> FetchRecord:
    url, chain = _requested(request, response)
    headers = response.headers if response is not None else {}
    h = {
        name: pagebody.header(headers, name) if headers else None
        for name in ("Content-Type", "ETag", "Last-Modified", "Content-Disposition")
    }
    return FetchRecord(
        run_id=spider.run_id,
        source_id=spider.source_id,
        url=url,
        final_url=fields.pop("final_url", None),
        redirect_chain=chain,
        method=request.method,
        fetched_at=utc_now(),
        content_type=h["Content-Type"],
        etag=h["ETag"],
        last_modified=h["Last-Modified"],
        content_disposition=h["Content-Disposition"],
        outcome=out.outcome,
        reason=fields.pop("reason", _with_notes(out.reason, request)),
        kind=fields.pop("kind", None) or request_kind(request),
        referer=meta.of(request).referer or pagebody.header(request.headers, "Referer"),
        **fields,
    )


def failure_record(spider, request: Request, exc: BaseException) -> FetchRecord | None:
    """The fetch record of a request that ended in an exception (once per request; None after)."""
    if meta.of(request).recorded:
        return None
    kind = request_kind(request)  # before the mark below puts a GkMeta (kind "other") on a robots.txt request
    meta.update(request, recorded=True)
    maxsize = request.meta.get("download_maxsize") or spider.crawler.settings.getint("DOWNLOAD_MAXSIZE")
    out = outcomes.for_exception(exc, request.meta.get("download_timeout"), maxsize)
    return _record(spider, request, None, out, http_status=None, sha256=None, size=None, encoding=None, kind=kind)


def emit(crawler, item, response=None):
    """Hand an item made outside a spider callback to the item pipelines (a Deferred)."""
    return deferred_from_coro(crawler.engine.scraper.start_itemproc_async(item, response=response))


class FetchLogMiddleware(CrawlerComponent):
    async def process_exception(self, request, exception):
        rec = failure_record(self.crawler.spider, request, exception)
        if rec is not None:
            await self.crawler.engine.scraper.start_itemproc_async(rec, response=None)
        return None

    async def process_response(self, request, response):
        spider, gk = self.crawler.spider, meta.of(request)
        kind = request_kind(request)
        not_modified = "not_modified" in response.flags
        typed, fmt, encoding = pagebody.typed(response, kind)
        out = outcomes.for_response(kind, response.status, response.headers, typed.body or b"", fmt, not_modified)
        tags, refresh_to = {}, None
        if fmt == "html" and encoding and out.outcome in ("ok", "not_modified"):
            tags, out, refresh_to = read_page(typed, out, getattr(spider, "is_known_list", lambda u: False))
        sha, size, new = keep_body(
            spider.store, self.crawler.stats, out.outcome, typed.status, typed.body or b"", gk.validator
        )
        retry = out.retry_once and not gk.cookie_retry
        reason = out.reason + ("; retrying once with the cookie" if retry else "") if out.reason else None
        rec = _record(
            spider,
            request,
            response,
            out,
            final_url=response.url,
            reason=_with_notes(reason, request),
            http_status=304 if not_modified else response.status,
            sha256=sha,
            size=size,
            encoding=encoding,
            meta=tags,
        )
        await self.crawler.engine.scraper.start_itemproc_async(rec, response=None)
        if retry:
            self.crawler.stats.inc_value("gongkai/cookie_retry")
            again = request.replace(dont_filter=True)
            meta.update(again, cookie_retry=True)
            return again
        meta.update(
            request, recorded=True, fetched=meta.Fetched(out.outcome, sha, fmt, rec.fetched_at, tags, new, refresh_to)
        )
        return typed
