"""The crawler's items, their schemas, the item pipelines and the typed request meta, without a crawl."""

from __future__ import annotations

import pickle

import pytest
from scrapy.exceptions import DropItem, UsageError
from scrapy.http import Request, Response
from scrapy.utils.test import get_crawler

from crawler import meta
from crawler.conditional import ConditionalGetMiddleware
from crawler.families import ListFetch
from crawler.items import DocumentRecord, FetchRecord, LandingRecord, PageSeen, problems
from crawler.spiders.portal import PortalSpider
from crawler.pipelines import CrawlStatsPipeline, DuplicateDocumentsPipeline, ValidateItemPipeline
from crawler.store import ContentStore, keep_body
from crawler.validators import Validator

SHA = "ab" * 32


def fetch(**changes) -> FetchRecord:
    fields = dict(
        run_id="r",
        source_id="s",
        url="http://h/a",
        final_url="http://h/a",
        redirect_chain=(),
        method="GET",
        http_status=200,
        fetched_at="2026-12-07T00:00:00Z",
        sha256=SHA,
        size=3,
        content_type="text/html",
        etag=None,
        last_modified=None,
        content_disposition=None,
        encoding="utf-8",
    )
    return FetchRecord(**{**fields, **changes})


def document(**changes) -> DocumentRecord:
    fields = dict(
        run_id="r",
        source_id="s",
        sha256=SHA,
        format="pdf",
        document_url="http://h/a.pdf",
        page_url="http://h/a.html",
        title="t",
        year_hint=2023,
        fetched_at="2026-12-07T00:00:00Z",
        store_path=f"store/ab/ab/{SHA}",
        role="attachment",
        filename="a.pdf",
    )
    return DocumentRecord(**{**fields, **changes})


def test_schemas_accept_good_items_and_name_every_problem():
    assert problems(fetch()) == [] and problems(document()) == []
    assert problems(LandingRecord("r", "s", "http://h/p", "t", None, "x", None, "no_report")) == []
    assert problems(PageSeen("http://h/", "home", "trs", "t", "n", True, 2)) == []
    bad = problems(fetch(http_status="200", outcome="fine", kind="page", sha256="xyz", redirect_chain=("a", 1)))
    assert len(bad) == 5, bad
    assert any("outcome='fine' is not one of ok" in p for p in bad)
    assert problems(document(role="cover", year_hint=True)) == [
        "year_hint=True is not int | None",
        "role='cover' is not one of page, attachment, page_image",
    ]
    assert problems({"url": "x"}) == ["dict is not a crawler item"]


def test_pipelines_drop_what_does_not_fit_and_duplicates_and_count_the_rest():
    crawler = get_crawler()
    crawler.stats.open_spider()
    validate, dupes, stats = (
        ValidateItemPipeline(crawler),
        DuplicateDocumentsPipeline(crawler),
        CrawlStatsPipeline(crawler),
    )
    with pytest.raises(DropItem, match="does not fit its schema: outcome="):
        validate.process_item(fetch(outcome="fine"))
    assert crawler.stats.get_value("gongkai/invalid_items/FetchRecord") == 1
    for item in (fetch(), document(), document(document_url="http://h/b.pdf")):
        try:
            stats.process_item(dupes.process_item(validate.process_item(item)))
        except DropItem:
            pass
    assert crawler.stats.get_value("gongkai/documents_duplicate_bytes") == 1
    assert crawler.stats.get_value("gongkai/documents/attachment") == 1
    assert crawler.stats.get_value("gongkai/outcome/ok") == crawler.stats.get_value("gongkai/kind/other") == 1


def test_request_meta_is_one_typed_value_that_jobdir_can_pickle():
    req = Request(
        "http://h/list",
        meta=meta.meta_for(
            kind="list",
            referer="http://h/",
            family="gkmlpt",
            fallback=ListFetch("http://h/api/all/0", payload="gkmlpt_json"),
        ),
    )
    assert list(req.meta) == [meta.KEY]
    meta.update(req, fetched=meta.Fetched("ok", SHA, "html", "t"))
    back = pickle.loads(pickle.dumps(req.meta[meta.KEY]))
    assert back == meta.of(req) and back.fallback.payload == "gkmlpt_json" and back.fetched.sha256 == SHA
    assert meta.of(Request("http://h/robots.txt")).kind == "other"  # requests the spider did not make
    with pytest.raises(AttributeError):
        meta.of(req).kind = "home"  # frozen: replaced whole, never edited


def test_a_304_becomes_the_stored_body_with_the_validators_headers(tmp_path):
    store = ContentStore(tmp_path)
    blob = store.put(b"%PDF-1.4 stored")
    crawler = get_crawler()
    crawler.spider = type(
        "S",
        (),
        {
            "store": store,
            "validators": {
                "http://h/a.pdf": Validator(
                    "http://h/a.pdf", blob.sha256, '"e1"', None, blob.size, "application/pdf", None, "t"
                )
            },
        },
    )()
    mw = ConditionalGetMiddleware(crawler)
    req = Request("http://h/a.pdf")
    mw.process_request(req)
    assert req.headers["If-None-Match"] == b'"e1"' and meta.of(req).validator.sha256 == blob.sha256
    got = mw.process_response(req, Response(req.url, status=304, request=req))
    assert (got.status, got.body, "not_modified" in got.flags) == (200, b"%PDF-1.4 stored", True)
    assert got.headers["Content-Type"] == b"application/pdf" and got.headers["ETag"] == b'"e1"'
    plain = Response(req.url, status=200, body=b"new", request=req)
    assert mw.process_response(req, plain) is plain


def test_spider_arguments_that_cannot_work_are_usage_errors(tmp_path):
    good = tmp_path / "s.yaml"
    good.write_text(
        '{"sources": [{"id": "a", "name": "A", "start_urls": ["http://h/"], "allowed_domains": ["h"]}]}',
        encoding="utf-8",
    )
    assert PortalSpider.check_args(str(good), "a", "r1")[1].id == "a"
    for args, says in (
        ((None, "a", "r1"), "needs -a sources=…"),
        ((str(good), "a", "../x"), "run_id"),
        ((str(good), "b", "r1"), "no source with id 'b'"),
        ((str(tmp_path / "none.yaml"), "a", "r1"), "not found"),
    ):
        with pytest.raises(UsageError, match=says):
            PortalSpider.check_args(*args)


def test_only_usable_bodies_are_kept(tmp_path):
    store, crawler = ContentStore(tmp_path), get_crawler()
    crawler.stats.open_spider()
    sha, size, new = keep_body(store, crawler.stats, "ok", 200, b"%PDF body")
    assert store.get(sha) == b"%PDF body" and (size, new) == (9, True)
    assert keep_body(store, crawler.stats, "ok", 200, b"%PDF body")[2] is False  # known bytes, not rewritten
    assert crawler.stats.get_value("gongkai/store/new") == crawler.stats.get_value("gongkai/store/known") == 1
    assert keep_body(store, crawler.stats, "blocked", 412, b"<html>challenge") == (None, 15, False)
    v = Validator("http://h/a", sha, None, None, 9, None, None, "t")
    assert keep_body(store, crawler.stats, "not_modified", 200, b"%PDF body", v) == (sha, 9, False)
