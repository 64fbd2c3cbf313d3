"""Each source ends with one outcome a person can act on: ok, partial, empty, blocked, down — judged
from real ``scrapy crawl`` runs against loopback portals, and from fetch records."""

from __future__ import annotations

import pytest

from crawler.collect import crawl_source
from crawler.source_outcome import judge_source
from gongkai.samples import portal as sp
from gongkai.samples import server as srv

from crawl_scenario import FAST, pdf, table

ROBOTS = srv.robots()


def _site(tmp_path, attachments=()):
    arts = [sp.SampleArticle("示例市2023年政府信息公开工作年度报告", "2024-01-25", table(2023), attachments)]
    return sp.build_trs_site(tmp_path / "site", arts)


def _crawl(tmp_path, base: str, start: str = "/"):
    tmp_path.mkdir(parents=True, exist_ok=True)
    sources = tmp_path / "sources.yaml"
    sources.write_text(sp.sources_yaml("s", base, start_path=start), encoding="utf-8")
    return crawl_source(sources, "s", "r1", tmp_path / "data", timeout_s=120, extra_settings=FAST)


@pytest.mark.slow
def test_ok_and_partial(tmp_path):
    site = _site(tmp_path / "a")
    with srv.PortalServer(site.root, {"/robots.txt": ROBOTS}) as base:
        ok = _crawl(tmp_path / "a", base).source_outcome
    assert (ok.outcome, ok.n_documents) == ("ok", 1), ok
    site = _site(tmp_path / "b", (("年报.pdf", pdf("x")),))
    missing = next(iter(site.files.values()))
    with srv.PortalServer(site.root, {"/robots.txt": ROBOTS, missing: srv.not_found()}) as base:
        partial = _crawl(tmp_path / "b", base).source_outcome
    assert partial.outcome == "partial" and "attachment error 1" in partial.reason, partial


@pytest.mark.slow
def test_empty_blocked_and_down(tmp_path):
    home = "<html><body><a href='/news/1.html'>新闻</a><a href='/zwgk/'>政务公开</a></body></html>"
    with srv.PortalServer(routes={"/": srv.text(home), "/robots.txt": ROBOTS}) as base:
        empty = _crawl(tmp_path / "e", base).source_outcome
    assert empty.outcome == "empty" and "no report was listed" in empty.reason, empty
    with srv.PortalServer(routes={"/": srv.challenge("ruishu"), "/robots.txt": ROBOTS}) as base:
        blocked = _crawl(tmp_path / "b", base).source_outcome
    assert blocked.outcome == "blocked" and "challenge" in blocked.reason, blocked
    server = srv.PortalServer(routes={})
    base = server.start()
    server.stop()  # nothing listens there any more
    down = _crawl(tmp_path / "d", base).source_outcome
    assert down.outcome == "down" and "nothing usable" in down.reason, down


def _f(kind: str, outcome: str, reason: str | None = None) -> dict:
    return {"kind": kind, "outcome": outcome, "reason": reason}


@pytest.mark.parametrize(
    "fetches, docs, stats, kw, outcome",
    [
        ([_f("robots", "ok"), _f("home", "ok"), _f("article", "ok")], 1, {}, {}, "ok"),
        ([_f("home", "ok"), _f("article", "ok"), _f("article", "skipped"), _f("article", "gone")], 1, {}, {}, "ok"),
        ([_f("home", "ok"), _f("list", "error", "HTTP 404; falls back to http://h/gkmlpt/api/all/0")], 1, {}, {}, "ok"),
        ([_f("home", "ok"), _f("article", "error", "HTTP 404")], 1, {}, {}, "partial"),
        ([_f("home", "ok")], 2, {"gongkai/list_pages_unreachable": 3}, {}, "partial"),
        ([_f("home", "ok")], 2, {}, {"timed_out": True, "returncode": -15}, "partial"),
        ([_f("home", "ok"), _f("other", "ok")], 0, {"gongkai/family/home": "trs"}, {}, "empty"),
        ([_f("home", "ok"), _f("article", "blocked")], 0, {}, {}, "blocked"),
        ([_f("robots", "ok"), _f("home", "blocked")], 0, {}, {}, "blocked"),
        ([_f("home", "error", "HTTP 503")], 0, {}, {}, "down"),
        ([], 0, {}, {"returncode": 1}, "down"),
    ],
)
def test_outcome_rules(fetches, docs, stats, kw, outcome):
    got = judge_source(fetches, docs, stats, **kw)
    assert got.outcome == outcome, got
    assert got.reason
