"""Scrapy's duplicate filter, plus a fetch record for a redirect it silently drops (a redirect
loop, or a redirect onto a page this crawl already fetched)."""

from __future__ import annotations

from scrapy.dupefilters import RFPDupeFilter

from .fetchlog import emit, failure_record


class RedirectLoop(Exception):
    gk_outcome = "error"


class RedirectTarget(Exception):
    gk_outcome = "skipped"


class RecordingDupeFilter(RFPDupeFilter):
    def log(self, request, spider):
        super().log(request, spider)
        chain = list(request.meta.get("redirect_urls") or ())
        if not chain or not hasattr(spider, "run_id"):
            return
        if request.url in chain:
            exc = RedirectLoop(f"redirect loop: {' -> '.join(chain + [request.url])}")
        else:
            exc = RedirectTarget(f"redirects to {request.url}, already fetched in this crawl")
        rec = failure_record(spider, request, exc)
        if rec is not None:
            emit(spider.crawler, rec)
