"""The crawler's answers to server faults, without a server: Retry-After (waited for, or refused
when too long), the retry notes on fetch records, clear reasons for dropped connections, and
fetch records appended after a torn line."""

from __future__ import annotations

import time
from email.utils import formatdate

import pytest
from scrapy import Request, Spider
from scrapy.exceptions import DownloadFailedError, DownloadTimeoutError, ResponseDataLossError
from scrapy.http import Response
from scrapy.utils.test import get_crawler
from twisted.internet.error import ConnectionDone, ConnectionLost
from twisted.python.failure import Failure
from twisted.web._newclient import ResponseFailed

from crawler import outcomes
from crawler.fetchlog import _with_notes
from crawler.records import FetchRecord, RunFiles, read_jsonl
from crawler.retry import NOT_BEFORE, NOTES, REFUSED, RetryAfterMiddleware, retry_after_seconds


@pytest.mark.parametrize(
    "value, want",
    [
        (b"1", 1.0),
        (" 120 ", 120.0),
        ("0", 0.0),
        (None, None),
        (b"", None),
        ("soon", None),
        ("-5", None),
    ],
)
def test_retry_after_values(value, want):
    assert retry_after_seconds(value) == want


def test_retry_after_as_an_http_date():
    now = time.time()
    assert retry_after_seconds(formatdate(now + 90, usegmt=True), now=now) == pytest.approx(90, abs=1)
    assert retry_after_seconds(formatdate(now - 90, usegmt=True), now=now) == 0.0  # already past


@pytest.fixture
def mw():
    crawler = get_crawler(Spider, {"RETRY_TIMES": 1, "GONGKAI_MAX_RETRY_AFTER": 30})
    crawler.spider = Spider.from_crawler(crawler, "t")
    return RetryAfterMiddleware.from_crawler(crawler)


def _503(request: Request, retry_after: str | None) -> Response:
    headers = {"Retry-After": retry_after} if retry_after is not None else {}
    return Response(request.url, status=503, headers=headers, request=request)


def test_a_503_is_retried_no_sooner_than_retry_after_says(mw):
    req = Request("http://127.0.0.1/a.pdf")
    before = time.time()
    retry = mw.process_response(req, _503(req, "5"))
    assert isinstance(retry, Request) and retry.meta["retry_times"] == 1
    assert retry.meta[NOT_BEFORE] >= before + 5
    assert retry.meta[NOTES] == ["HTTP 503, Retry-After 5 s"]
    # the retry answers 503 again: retries are used up, the response goes on to be recorded
    last = _503(retry, "5")
    assert mw.process_response(retry, last) is last
    assert _with_notes(outcomes.for_status(503).reason, retry) == "HTTP 503; after 1 retry: HTTP 503, Retry-After 5 s"


def test_a_503_without_retry_after_is_retried_at_once(mw):
    req = Request("http://127.0.0.1/a.pdf")
    retry = mw.process_response(req, _503(req, None))
    assert NOT_BEFORE not in retry.meta and retry.meta[NOTES] == ["HTTP 503"]


def test_a_retry_after_beyond_the_limit_is_not_waited_for(mw):
    req = Request("http://127.0.0.1/a.pdf")
    resp = _503(req, "3600")
    assert mw.process_response(req, resp) is resp
    assert (
        req.meta[REFUSED] == "Retry-After 3600 s is more than GONGKAI_MAX_RETRY_AFTER (30 s): not retried in this crawl"
    )
    assert _with_notes("HTTP 503", req).startswith("HTTP 503; Retry-After 3600 s is more than")


def test_other_statuses_and_exceptions(mw):
    req = Request("http://127.0.0.1/a.pdf")
    resp = Response(req.url, status=404, request=req)
    assert mw.process_response(req, resp) is resp and _with_notes(None, req) is None
    retry = mw.process_exception(req, DownloadTimeoutError("Getting x took longer than 2.0 seconds."))
    assert retry.meta[NOTES] == ["timeout"]
    assert mw.process_exception(req, ValueError("not retried")) is None


def _wrapped(*failures: BaseException) -> DownloadFailedError:
    """What Scrapy raises for a reset connection: Twisted's ResponseFailed wrapped in DownloadFailedError."""
    inner = ResponseFailed([Failure(f) for f in failures])
    try:
        raise DownloadFailedError(str(inner)) from inner
    except DownloadFailedError as exc:
        return exc


@pytest.mark.parametrize(
    "exc, reason",
    [
        (
            _wrapped(ConnectionLost()),
            "connection lost: ConnectionLost: Connection to the other side was lost in a non-clean fashion.",
        ),
        (_wrapped(ConnectionDone()), "connection lost: ConnectionDone: Connection was closed cleanly."),
        (
            ConnectionLost(),
            "connection lost: ConnectionLost: Connection to the other side was lost in a non-clean fashion.",
        ),
        (ResponseDataLossError(), "connection lost: the body ended before its announced length (data loss)"),
    ],
)
def test_dropped_connections_get_a_readable_reason(exc, reason):
    out = outcomes.for_exception(exc)
    assert (out.outcome, out.reason) == ("error", reason)
    assert "\n" not in out.reason and "<" not in out.reason


def _record(url: str) -> FetchRecord:
    return FetchRecord(
        run_id="r",
        source_id="s",
        url=url,
        final_url=url,
        redirect_chain=(),
        method="GET",
        http_status=200,
        fetched_at="2026-01-01T00:00:00Z",
        sha256=None,
        size=0,
        content_type=None,
        etag=None,
        last_modified=None,
        content_disposition=None,
        encoding=None,
    )


def test_records_appended_after_a_torn_line_are_kept(tmp_path):
    files = RunFiles(tmp_path, "r", "s")
    files.fetch(_record("http://a/1"))
    files.close()
    with open(files.fetches_path, "a", encoding="utf-8") as fh:
        fh.write('{"run_id": "r", "url": "http://a/torn"')  # a crawl killed mid-line
    again = RunFiles(tmp_path, "r", "s")
    again.fetch(_record("http://a/2"))
    again.close()
    assert [r["url"] for r in read_jsonl(files.fetches_path)] == ["http://a/1", "http://a/2"]
