"""Conditional requests: ``If-None-Match`` / ``If-Modified-Since`` from earlier runs of the source
(``crawler.validators``), and a 304 answered with the stored bytes so the spider reads the page as
before (flag ``not_modified``; the validators' headers fill what the 304 left out)."""

from __future__ import annotations

from . import meta
from .component import CrawlerComponent


class ConditionalGetMiddleware(CrawlerComponent):
    """Downloader middleware; sees responses before the fetch log (a lower number is nearer the engine)."""

    def process_request(self, request):
        validators = getattr(self.crawler.spider, "validators", {}) or {}
        v = validators.get(request.url) if request.method == "GET" else None
        if v is not None:
            if v.etag:
                request.headers.setdefault("If-None-Match", v.etag)
            if v.last_modified:
                request.headers.setdefault("If-Modified-Since", v.last_modified)
            meta.update(request, validator=v)
        return None

    def process_response(self, request, response):
        v = meta.of(request).validator
        if response.status != 304 or v is None:
            return response
        headers = response.headers.copy()
        for name, value in (
            ("ETag", v.etag),
            ("Last-Modified", v.last_modified),
            ("Content-Type", v.content_type),
            ("Content-Disposition", v.content_disposition),
        ):
            if value and not headers.get(name):
                headers[name] = value
        body = self.crawler.spider.store.get(v.sha256)
        return response.replace(status=200, headers=headers, body=body, flags=[*response.flags, "not_modified"])
