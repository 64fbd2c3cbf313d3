"""Scrapy's retries, plus the server's ``Retry-After`` and a note of each retry on the fetch record.

A response with a retried status (429, 503, …) that says when to come back is retried no sooner:
the retry waits outside the host's download slot (other pages of the portal go on meanwhile), up to
``GONGKAI_MAX_RETRY_AFTER`` seconds; a longer wait is not retried in this crawl (the next run asks
again) and the fetch record says so. Every retry leaves a short note (``HTTP 503, Retry-After 1 s``,
``timeout``) that the final fetch record's reason carries: a flaky portal stays visible in
``fetches`` even when its last answer was good."""

from __future__ import annotations

import time
from email.utils import parsedate_to_datetime

from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet.task import deferLater

NOT_BEFORE, NOTES, REFUSED = "gk_not_before", "gk_retry_notes", "gk_retry_after_refused"


def retry_after_seconds(value: bytes | str | None, now: float | None = None) -> float | None:
    """Seconds a ``Retry-After`` header asks for (delta-seconds or an HTTP date), or None."""
    if not value:
        return None
    text = value.decode("latin-1") if isinstance(value, bytes) else value
    text = text.strip()
    if text.isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text).timestamp()
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    return max(0.0, when - (time.time() if now is None else now))


def retries_note(meta: dict) -> str | None:
    """``after 1 retry: HTTP 503, Retry-After 1 s`` for a request that was retried, else None."""
    notes = meta.get(NOTES) or []
    if not notes:
        return None
    return f"after {len(notes)} {'retry' if len(notes) == 1 else 'retries'}: " + "; ".join(notes)


class RetryAfterMiddleware(RetryMiddleware):
    def __init__(self, settings):
        super().__init__(settings)
        self.max_wait = settings.getfloat("GONGKAI_MAX_RETRY_AFTER", 30.0)

    async def process_request(self, request):
        wait = request.meta.get(NOT_BEFORE, 0) - time.time()
        if wait > 0:
            from twisted.internet import reactor  # the one Scrapy installed (importing it early installs another)

            await maybe_deferred_to_future(deferLater(reactor, wait, lambda: None))
        return None

    def process_response(self, request, response):
        if request.meta.get("dont_retry") or response.status not in self.retry_http_codes:
            return response
        wait = retry_after_seconds(response.headers.get("Retry-After"))
        if wait is not None and wait > self.max_wait:
            request.meta[REFUSED] = (
                f"Retry-After {wait:g} s is more than GONGKAI_MAX_RETRY_AFTER "
                f"({self.max_wait:g} s): not retried in this crawl"
            )
            return response
        note = f"HTTP {response.status}" + (f", Retry-After {wait:g} s" if wait is not None else "")
        new = self._retry(request, f"HTTP {response.status}")
        if new is None:
            return response
        new.meta[NOTES] = [*request.meta.get(NOTES, []), note]
        if wait:
            new.meta[NOT_BEFORE] = time.time() + wait
        return new

    def process_exception(self, request, exception):
        new = super().process_exception(request, exception)
        if new is not None:
            new.meta[NOTES] = [*request.meta.get(NOTES, []), _label(exception)]
        return new


def _label(exc: BaseException) -> str:
    """A short name for a failed attempt: ``timeout``, ``connection lost``, the exception's name."""
    from .outcomes import for_exception

    return (for_exception(exc).reason or type(exc).__name__).split(":", 1)[0]
