"""Real ``scrapy crawl portal`` subprocesses against one fixture portal per CMS family on 127.0.0.1."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from crawler.collect import CrawlResult, crawl_source
from crawler.records import read_jsonl
from gongkai.samples import portal as sp
from gongkai.samples import server as srv

from crawl_scenario import FAST, Scenario, build

pytestmark = pytest.mark.slow
FAMILIES = ["trs", "hanweb", "gkmlpt", "generic"]


@dataclass
class Crawled:
    sc: Scenario
    base: str
    data: Path
    run1: CrawlResult
    run2: CrawlResult
    run1_requests: list
    run2_requests: list
    store_before: dict
    store_after: dict

    def fetches(self, run: CrawlResult) -> list[dict]:
        return read_jsonl(run.fetches_path)

    def documents(self, run: CrawlResult) -> list[dict]:
        return read_jsonl(run.documents_path)

    def url(self, path: str) -> str:
        return path if "://" in path else self.base + path


def _store_snapshot(store: Path) -> dict:
    if not store.exists():
        return {}
    return {str(p.relative_to(store)): p.stat().st_mtime_ns for p in store.rglob("*") if p.is_file()}


@pytest.fixture(scope="module", params=FAMILIES)
def crawled(request, tmp_path_factory):
    family = request.param
    root = tmp_path_factory.mktemp(f"portal-{family}")
    offsite = srv.PortalServer(routes={})
    offsite.start()
    sc = build(family, root / "site", offsite)
    base = sc.server.start()
    try:
        sources = root / "sources.yaml"
        sources.write_text(sp.sources_yaml(family, base), encoding="utf-8")
        data = root / "data"
        run1 = crawl_source(sources, family, "run1", data, timeout_s=120, extra_settings=FAST)
        n1 = len(sc.server.requests)
        before = _store_snapshot(data / "store")
        run2 = crawl_source(sources, family, "run2", data, timeout_s=120, extra_settings=FAST)
        yield Crawled(
            sc,
            base,
            data,
            run1,
            run2,
            list(sc.server.requests[:n1]),
            list(sc.server.requests[n1:]),
            before,
            _store_snapshot(data / "store"),
        )
    finally:
        sc.server.stop()
        offsite.stop()


def _by_url(fetches: list[dict]) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    for f in fetches:
        out.setdefault(f["url"], []).append(f)
    return out


def test_crawl_finished_cleanly(crawled):
    for run in (crawled.run1, crawled.run2):
        assert run.returncode == 0, run.stderr_tail
        assert not run.timed_out
        assert run.stats.get("finish_reason") == "finished"
        assert run.stats.get("gongkai/source_id") == crawled.sc.family
    assert crawled.run1.stats.get("gongkai/crawl_delay/127.0.0.1") == pytest.approx(0.05)
    # AutoThrottle (allowed down to 0 s here) never took the host's slot below its Crawl-delay
    assert crawled.run1.stats.get("gongkai/slot_delay/127.0.0.1") >= 0.05
    assert crawled.sc.family in {v for k, v in crawled.run1.stats.items() if k.startswith("gongkai/family/")}


def test_every_report_found_and_nothing_else(crawled):
    docs = crawled.documents(crawled.run1)
    got = {(d["year_hint"], d["role"], d["format"]) for d in docs}
    assert got == set(crawled.sc.expected)
    assert len(docs) == len(crawled.sc.expected)
    for d in docs:
        assert "政府信息公开工作年度报告" in d["title"]
        assert (crawled.data / d["store_path"]).is_file()
        assert d["page_url"].startswith(crawled.base)
    tables = {d["year_hint"] for d in docs if d["role"] == "page" and d["has_table"]}
    assert tables == {2023, 2016, 2009}
    # an article page whose report is its attachment is provenance, not a document to parse (on Hanweb
    # its layout tables once made it look like a report)
    landings = read_jsonl(Path(crawled.run1.documents_path).with_name("landings.jsonl"))
    assert {(l["year_hint"], l["kind"]) for l in landings} == {
        (y, "links_report") for y in (2022, 2021, 2020, 2019, 2018, 2017, 2014)
    }
    attached_from = {d["page_url"] for d in docs if d["role"] == "attachment"}
    assert {l["page_url"] for l in landings} <= attached_from
    # the notice and the work plan in the same column were never fetched, nor their attachments
    requested = {r.path + (f"?{r.query}" if r.query else "") for r in crawled.run1_requests}
    for path in crawled.sc.non_report_paths:
        assert path not in requested


def test_no_request_off_the_allowlist_or_into_a_disallowed_path(crawled):
    host = urlsplit(crawled.base).netloc
    for reqs in (crawled.run1_requests, crawled.run2_requests):
        assert reqs, "the portal saw no request"
        assert all(r.headers.get("host") == host for r in reqs)
        assert not [r.path for r in reqs if r.path.startswith("/private/")]
        assert any(r.path == "/robots.txt" for r in reqs)
    assert crawled.sc.offsite.requests == []
    ua = crawled.run1_requests[0].headers.get("user-agent", "")
    assert "gongkai" in ua and "+http" in ua


def test_every_trap_recorded_with_its_outcome(crawled):
    fetches = crawled.fetches(crawled.run1)
    by = _by_url(fetches)
    t = {k: crawled.url(v) for k, v in crawled.sc.traps.items()}

    (ch,) = by[t["challenge"]]
    assert (ch["outcome"], ch["http_status"]) == ("blocked", 412) and "$_ts" in ch["reason"]
    (jsl,) = by[t["jsl"]]
    assert (jsl["outcome"], jsl["http_status"]) == ("blocked", 521) and "__jsl_clearance" in jsl["reason"]
    (eo,) = by[t["edgeone"]]
    assert (eo["outcome"], eo["http_status"]) == ("blocked", 412) and "EdgeOne" in eo["reason"]
    assert [f["outcome"] for f in by[t["not_found"]]] == ["error"] and by[t["not_found"]][0]["http_status"] == 404
    assert [f["outcome"] for f in by[t["missing_attachment"]]] == ["error"]
    (gone,) = by[t["deleted"]]
    assert gone["outcome"] == "gone" and "parent" in gone["reason"]
    for key in ("offsite", "offsite_attachment"):
        (f,) = by[t[key]]
        assert f["outcome"] == "skipped" and f["reason"].startswith("off-site") and f["http_status"] is None
    for key in ("disallowed", "disallowed_attachment"):
        (f,) = by[t[key]]
        assert f["outcome"] == "skipped" and "robots.txt" in f["reason"]
    (red,) = by[t["redirect"]]
    assert red["outcome"] == "ok" and red["http_status"] == 200
    from crawl_scenario import title

    assert red["final_url"] == crawled.url(crawled.sc.site.pages[title(crawled.sc.family, 2014)])
    assert red["redirect_chain"][0] == red["url"] and red["redirect_chain"][-1] == red["final_url"]
    gate = by[t["cookie_gate"]]
    assert [(f["outcome"], f["http_status"]) for f in gate] == [("blocked", 412), ("ok", 200)]
    assert "Set-Cookie" in gate[0]["reason"] and "retrying once" in gate[0]["reason"]


def test_gbk_page_without_charset_is_sniffed(crawled):
    from crawl_scenario import title

    want = title(crawled.sc.family, 2016)
    page_url = crawled.url(crawled.sc.site.pages[want])
    (f,) = _by_url(crawled.fetches(crawled.run1))[page_url]
    assert f["encoding"] == "gb18030"
    doc = [d for d in crawled.documents(crawled.run1) if d["page_url"] == page_url and d["role"] == "page"]
    assert doc and doc[0]["title"] == want


def test_fetch_provenance(crawled):
    fetches = crawled.fetches(crawled.run1)
    kinds = {f["kind"] for f in fetches}
    assert {"home", "list", "article", "attachment", "robots"} <= kinds
    assert len([f for f in fetches if f["kind"] == "list" and f["outcome"] == "ok"]) >= 2
    for f in fetches:
        assert f["run_id"] == "run1" and f["source_id"] == crawled.sc.family
        assert f["fetched_at"].endswith("Z") and "T" in f["fetched_at"]
        assert f["outcome"] in ("ok", "not_modified", "blocked", "gone", "error", "skipped")
        if f["outcome"] == "ok" and f["http_status"] == 200:
            assert len(f["sha256"]) == 64 and f["size"] > 0 and f["content_type"]
    atts = [f for f in fetches if f["kind"] == "attachment" and f["outcome"] == "ok"]
    assert atts and all(f["etag"] and f["last_modified"] for f in atts)
    articles = [f for f in fetches if f["kind"] == "article" and f["outcome"] == "ok" and "html" in f["content_type"]]
    assert articles and all(f["encoding"] and f["referer"] for f in articles)
    (direct,) = [f for f in fetches if f["url"].endswith("/direct/get.jsp?id=2007")]
    assert direct["kind"] == "article" and direct["encoding"] is None and direct["sha256"]
    if crawled.sc.family in ("trs", "hanweb", "gkmlpt"):
        for f in articles:
            assert {"ArticleTitle", "PubDate", "ContentSource", "ColumnName", "SiteIDCode"} <= set(f["meta"])
    if crawled.sc.family == "hanweb":  # names come from Content-Disposition (RFC 5987)
        names = {d["filename"] for d in crawled.documents(crawled.run1) if d["role"] == "attachment"}
        assert "2021年报.docx" in names and "2019年报.wps" in names


def test_same_bytes_under_two_urls_stored_once(crawled):
    docs = crawled.documents(crawled.run1)
    pdfs = [d for d in docs if d["format"] == "pdf" and d["year_hint"] in (2022, 2016)]
    assert len(pdfs) == 2 and pdfs[0]["sha256"] == pdfs[1]["sha256"]
    assert pdfs[0]["document_url"] != pdfs[1]["document_url"]
    sha = pdfs[0]["sha256"]
    assert [p for p in crawled.store_before if p.endswith(sha)] == [f"{sha[:2]}/{sha[2:4]}/{sha}"]
    assert crawled.run1.stats.get("gongkai/store/known", 0) >= 1


def test_second_crawl_downloads_no_attachment_again(crawled):
    f1 = [f for f in crawled.fetches(crawled.run1) if f["kind"] == "attachment" and f["outcome"] == "ok"]
    f2 = [f for f in crawled.fetches(crawled.run2) if f["kind"] == "attachment"]
    assert {f["url"] for f in f2 if f["outcome"] == "not_modified"} == {f["url"] for f in f1}
    assert all(f["http_status"] == 304 for f in f2 if f["outcome"] == "not_modified")
    assert not [f for f in f2 if f["outcome"] == "ok"]
    # the server was asked conditionally and sent no attachment body
    att_paths = {urlsplit(f["url"]).path for f in f1}
    cond = [r for r in crawled.run2_requests if r.path in att_paths]
    assert cond and all(r.headers.get("if-none-match") for r in cond)
    # nothing new stored, nothing rewritten
    assert crawled.store_after == crawled.store_before
    docs2 = crawled.documents(crawled.run2)
    assert {(d["year_hint"], d["role"], d["format"]) for d in docs2} == set(crawled.sc.expected)
    assert all(not d["new"] for d in docs2)
    assert all(d["not_modified"] for d in docs2 if d["role"] == "attachment")
