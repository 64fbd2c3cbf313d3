"""Downloader middleware that records every response and failure (fetches.jsonl), stores every
body content-addressed, sends conditional requests and turns a 304 back into the stored body."""
from __future__ import annotations

from urllib.parse import urlsplit

from parsel import Selector
from scrapy.http import HtmlResponse, Request, Response, TextResponse

from pipeline.sniff import sniff

from . import outcomes
from .encoding import choose_encoding
from .htmlmeta import is_ancestor, is_self, meta_tags, refresh_target
from .records import FetchRecord, utc_now
from .retry import REFUSED, retries_note

PAGE_KINDS = ("home", "column", "list", "article", "other")


def _h(headers, name: str) -> str | None:
    raw = headers.get(name)
    if raw is None:
        return None
    for enc in ("utf-8", "gb18030", "latin-1"):
        try:
            return raw.decode(enc)
        except UnicodeDecodeError:
            continue
    return None


def request_kind(request: Request) -> str:
    kind = request.meta.get("kind")
    if kind:
        return kind
    if request.meta.get("dont_obey_robotstxt") and urlsplit(request.url).path == "/robots.txt":
        return "robots"
    return "other"


def _requested(request: Request, response: Response | None = None) -> tuple[str, tuple[str, ...]]:
    """The first URL asked for, and every URL of the redirect chain ending where we got (or failed)."""
    chain = list(request.meta.get("redirect_urls") or ())
    if not chain:
        return request.url, ()
    return chain[0], tuple(chain + [response.url if response is not None else request.url])


def record_failure(spider, request: Request, exc: BaseException) -> None:
    """Write the fetch record of a request that ended in an exception (once per request)."""
    if request.meta.get("gk_recorded"):
        return
    request.meta["gk_recorded"] = True
    maxsize = request.meta.get("download_maxsize") or spider.crawler.settings.getint("DOWNLOAD_MAXSIZE")
    out = outcomes.for_exception(exc, request.meta.get("download_timeout"), maxsize)
    url, chain = _requested(request)
    kind = request_kind(request)
    rec = FetchRecord(
        run_id=spider.run_id, source_id=spider.source_id, url=url, final_url=None, redirect_chain=chain,
        method=request.method, http_status=None, fetched_at=utc_now(), sha256=None, size=None,
        content_type=None, etag=None, last_modified=None, content_disposition=None, encoding=None,
        meta={}, outcome=out.outcome, reason=_with_notes(out.reason, request), kind=kind,
        referer=request.meta.get("gk_referer") or _h(request.headers, "Referer"))
    spider.run_files.fetch(rec)
    _count(spider, rec)


def _with_notes(reason: str | None, request: Request) -> str | None:
    """The reason, plus a refused Retry-After and the retries made before this answer."""
    fallback = request.meta.get("gk_fallback")  # a listing that replaces this one when it fails
    then = f"falls back to {fallback.url}" if fallback is not None and reason else None
    parts = [p for p in (reason, request.meta.get(REFUSED), retries_note(request.meta), then) if p]
    return "; ".join(parts) or None


def _count(spider, rec: FetchRecord) -> None:
    stats = spider.crawler.stats
    stats.inc_value(f"gongkai/outcome/{rec.outcome}")
    stats.inc_value(f"gongkai/kind/{rec.kind}")


class FetchLogMiddleware:
    def __init__(self, crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    @property
    def spider(self):
        return self.crawler.spider

    def process_request(self, request):
        validators = getattr(self.spider, "validators", {}) or {}
        v = validators.get(request.url) if request.method == "GET" else None
        if v is not None and not request.meta.get("gk_no_conditional"):
            if v.etag:
                request.headers.setdefault("If-None-Match", v.etag)
            if v.last_modified:
                request.headers.setdefault("If-Modified-Since", v.last_modified)
            request.meta["gk_validator"] = v
        return None

    def process_exception(self, request, exception):
        record_failure(self.spider, request, exception)
        return None

    def process_response(self, request, response):
        spider = self.spider
        kind = request_kind(request)
        url, chain = _requested(request, response)
        headers = response.headers
        ctype, cdisp = _h(headers, "Content-Type"), _h(headers, "Content-Disposition")
        etag, lastmod = _h(headers, "ETag"), _h(headers, "Last-Modified")
        body = response.body or b""
        validator = request.meta.get("gk_validator")
        sha = size = encoding = None
        meta: dict = {}
        new_response = response
        status = response.status

        if status == 304 and validator is not None:
            out = outcomes.Outcome("not_modified")
            sha, size = validator.sha256, validator.size
            etag, lastmod = etag or validator.etag, lastmod or validator.last_modified
            ctype, cdisp = ctype or validator.content_type, cdisp or validator.content_disposition
            body = spider.store.get(sha)
            request.meta["gk_stored_new"] = False
            new_response = response.replace(status=200, body=body, flags=[*response.flags, "not_modified"])
        else:
            low = {k.decode("latin-1").lower(): b", ".join(headers.getlist(k)).decode("latin-1") for k in headers.keys()}
            out = outcomes.challenge(status, low, body) or outcomes.for_status(status)
            if status == 304:  # a 304 we did not ask for
                out = outcomes.Outcome("error", "HTTP 304 without a stored copy")
            if kind == "robots" and status in (404, 410):
                out = outcomes.Outcome("ok", f"no robots.txt (HTTP {status}): every path allowed")
        fmt = sniff(body, urlsplit(response.url).path, cdisp or "") if body else "empty"
        is_page = kind in PAGE_KINDS and fmt in ("html", "txt") and kind != "attachment"
        if is_page and body:
            encoding, _how = choose_encoding(body, ctype)
            cls = HtmlResponse if fmt == "html" else TextResponse
            new_response = new_response.replace(cls=cls, encoding=encoding)
            if out.outcome in ("ok", "not_modified") and fmt == "html":
                sel = Selector(text=new_response.text, type="html")
                meta = meta_tags(sel)
                target = refresh_target(sel, response.url, len(body))
                if target and not is_self(response.url, target):
                    known_list = getattr(spider, "is_known_list", lambda u: False)
                    if is_ancestor(response.url, target) or known_list(target):
                        out = outcomes.Outcome("gone", f"page refreshes to its parent {target}")
                    else:
                        request.meta["gk_refresh_to"] = target
                        out = outcomes.Outcome(out.outcome, f"meta refresh to {target}")
        elif body and fmt not in ("html", "txt") and isinstance(new_response, TextResponse):
            # the bytes decide, not the Content-Type: a file served as text/html stays a file
            new_response = Response(url=new_response.url, status=new_response.status, headers=new_response.headers,
                                    body=new_response.body, flags=list(new_response.flags), request=request,
                                    certificate=new_response.certificate, ip_address=new_response.ip_address,
                                    protocol=new_response.protocol)
        if kind == "attachment" and out.outcome == "ok" and fmt == "html":
            out = outcomes.Outcome("error", "expected a document file, got an HTML page")
        if kind == "attachment" and out.outcome == "ok" and fmt == "empty":
            out = outcomes.Outcome("error", "empty body")
        if sha is None and out.outcome == "ok" and body and 200 <= status < 300:
            blob = spider.store.put(body)
            sha, size = blob.sha256, blob.size
            request.meta["gk_stored_new"] = blob.created
            spider.crawler.stats.inc_value("gongkai/store/" + ("new" if blob.created else "known"))

        retry = out.retry_once and not request.meta.get("gk_cookie_retry")
        reason = out.reason + ("; retrying once with the cookie" if retry else "") if out.reason else None
        reason = _with_notes(reason, request)
        rec = FetchRecord(
            run_id=spider.run_id, source_id=spider.source_id, url=url, final_url=response.url,
            redirect_chain=chain, method=request.method, http_status=status, fetched_at=utc_now(),
            sha256=sha, size=size if size is not None else len(body), content_type=ctype, etag=etag,
            last_modified=lastmod, content_disposition=cdisp, encoding=encoding, meta=meta,
            outcome=out.outcome, reason=reason, kind=kind,
            referer=request.meta.get("gk_referer") or _h(request.headers, "Referer"))
        spider.run_files.fetch(rec)
        _count(spider, rec)
        if retry:
            spider.crawler.stats.inc_value("gongkai/cookie_retry")
            return request.replace(dont_filter=True, meta={**request.meta, "gk_cookie_retry": True})
        request.meta["gk_recorded"] = True
        request.meta["gk_outcome"] = out.outcome
        request.meta["gk_sha256"] = sha
        request.meta["gk_format"] = fmt
        request.meta["gk_fetched_at"] = rec.fetched_at
        request.meta["gk_meta"] = meta
        return new_response
