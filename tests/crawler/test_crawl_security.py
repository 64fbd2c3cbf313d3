"""Bounds and refusals, each through a real ``scrapy crawl`` against 127.0.0.1."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from crawler.collect import REPO_ROOT, crawl_source
from crawler.records import read_jsonl
from crawler.sources import SourcesError
from gongkai.samples import portal as sp
from gongkai.samples import server as srv

from crawl_scenario import FAST, pdf, table

pytestmark = pytest.mark.slow


def _site(root: Path):
    arts = [
        sp.SampleArticle("安全市2023年政府信息公开工作年度报告", "2024-01-20", table(2023)),
        sp.SampleArticle(
            "安全市2022年政府信息公开工作年度报告",
            "2023-01-20",
            "<p>附件</p>",
            (("2022年报.pdf", pdf("2022")),),
            extra_links=(
                ("超大附件.pdf", "/big/huge.pdf"),
                ("超大附件（声明长度）.pdf", "/big/huge-announced.pdf"),
                ("挂起的附件.pdf", "/slow/hang.pdf"),
                ("循环跳转.pdf", "/loop/a.pdf"),
                ("长跳转链.pdf", "/chain/1"),
            ),
        ),
        sp.SampleArticle("安全市2021年政府信息公开工作年度报告", "2022-01-20", table(2021)),
    ]
    site = sp.build_trs_site(root / "site", arts, per_page=2)
    routes = dict(site.routes)
    routes.update(
        {
            "/big/huge.pdf": srv.huge(2 * 1024**3),
            "/big/huge-announced.pdf": srv.huge(2 * 1024**3, announce_length=True),
            "/slow/hang.pdf": srv.hang(60),
            "/loop/a.pdf": srv.redirect("/loop/b.pdf"),
            "/loop/b.pdf": srv.redirect("/loop/a.pdf"),
            "/robots.txt": srv.robots(),
            "/": srv.meta_refresh("/index.html"),  # a portal root that only forwards to its home page
            **{f"/chain/{n}": srv.redirect(f"/chain/{n + 1}") for n in range(1, 12)},
        }
    )
    return site, srv.PortalServer(site.root, routes)


def test_huge_hanging_and_looping_responses_are_bounded(tmp_path):
    site, server = _site(tmp_path)
    with server as base:
        sources = tmp_path / "s.yaml"
        sources.write_text(sp.sources_yaml("bounds", base, cms="trs"), encoding="utf-8")
        settings = {
            **FAST,
            "DOWNLOAD_MAXSIZE": 1_000_000,
            "DOWNLOAD_WARNSIZE": 0,
            "DOWNLOAD_TIMEOUT": 2,
            "RETRY_TIMES": 0,
            "REDIRECT_MAX_TIMES": 4,
        }
        r = crawl_source(sources, "bounds", "r1", tmp_path / "data", timeout_s=120, extra_settings=settings)
    assert r.returncode == 0 and not r.timed_out, r.stderr_tail
    by = {f["url"].split(base, 1)[-1]: f for f in read_jsonl(r.fetches_path)}
    for path in ("/big/huge.pdf", "/big/huge-announced.pdf"):
        assert by[path]["outcome"] == "error" and by[path]["reason"].startswith("too_large"), by[path]
        assert by[path]["sha256"] is None
    assert by["/slow/hang.pdf"]["outcome"] == "error" and by["/slow/hang.pdf"]["reason"].startswith("timeout")
    assert by["/loop/a.pdf"]["outcome"] == "error" and "redirect" in by["/loop/a.pdf"]["reason"]
    assert len(by["/loop/a.pdf"]["redirect_chain"]) <= 6
    assert by["/chain/1"]["outcome"] == "error" and "too many redirects" in by["/chain/1"]["reason"]
    assert len(by["/chain/1"]["redirect_chain"]) == 5  # REDIRECT_MAX_TIMES=4: the first URL and 4 hops
    assert by["/"]["outcome"] == "ok" and by["/"]["reason"] == f"meta refresh to {base}/index.html"
    assert by["/index.html"]["kind"] == "home"
    # the rest of the run is not lost
    docs = read_jsonl(r.documents_path)
    assert {(d["year_hint"], d["role"], d["format"]) for d in docs} == {
        (2023, "page", "html"),
        (2022, "attachment", "pdf"),
        (2021, "page", "html"),
    }  # the 2022 page: a landing page
    assert not list((tmp_path / "data" / "store").rglob(".tmp-*"))
    assert r.stats["memusage/peak_rss"] < 600 * 1024**2  # not memusage/max: see statsfile


def test_private_and_loopback_addresses_refused_unless_allowed(tmp_path):
    site, server = _site(tmp_path)
    with server as base:
        port = base.rsplit(":", 1)[1]
        sources = tmp_path / "s.yaml"
        sources.write_text(
            json.dumps(
                {
                    "sources": [
                        {
                            "id": "loop",
                            "name": "x",
                            "start_urls": [base + "/"],
                            "allowed_domains": [f"127.0.0.1:{port}"],
                        },
                        {
                            "id": "named",
                            "name": "x",
                            "start_urls": [f"http://localhost:{port}/"],
                            "allowed_domains": ["localhost"],
                        },
                    ]
                }
            ),
            encoding="utf-8",
        )
        for sid in ("loop", "named"):
            r = crawl_source(sources, sid, "r1", tmp_path / "data", timeout_s=60, extra_settings=FAST)
            assert r.returncode == 0, r.stderr_tail
            fetches = read_jsonl(r.fetches_path)
            assert fetches and all(f["outcome"] == "skipped" for f in fetches)
            assert any("loopback address 127.0.0.1" in f["reason"] for f in fetches)
            assert r.n_documents == 0
        assert server.requests == []


def test_years_filter_and_forced_family(tmp_path):
    site, server = _site(tmp_path)
    with server as base:
        sources = tmp_path / "s.yaml"
        sources.write_text(sp.sources_yaml("years", base, cms="generic", years=[2023]), encoding="utf-8")
        r = crawl_source(sources, "years", "r1", tmp_path / "data", timeout_s=60, extra_settings=FAST)
    assert r.returncode == 0, r.stderr_tail
    docs = read_jsonl(r.documents_path)
    assert {(d["year_hint"], d["role"]) for d in docs} == {(2023, "page")}
    # a forced generic family does not read TRS pagination: only what page 1 lists is seen
    assert {v for k, v in r.stats.items() if k.startswith("gongkai/family/")} == {"generic"}


def test_timeout_stops_the_crawl_and_a_retry_resumes_from_jobdir(tmp_path):
    arts = [
        sp.SampleArticle(f"慢市{y}年政府信息公开工作年度报告", f"{y + 1}-01-20", table(y)) for y in range(2010, 2024)
    ]
    site = sp.build_trs_site(tmp_path / "site", arts, per_page=20)
    routes = {
        path: srv.slow(lambda req, p=path: srv.static_file(site.root, srv.Req("GET", p, "", req.headers)), 1.0)
        for path in site.pages.values()
    }
    server = srv.PortalServer(site.root, routes)
    with server as base:
        sources = tmp_path / "s.yaml"
        sources.write_text(sp.sources_yaml("slow", base), encoding="utf-8")
        settings = {**FAST, "CONCURRENT_REQUESTS_PER_DOMAIN": 1}
        first = crawl_source(sources, "slow", "r1", tmp_path / "data", timeout_s=6, extra_settings=settings)
        assert first.timed_out
        assert (tmp_path / "data/runs/r1/slow/jobdir/requests.seen").exists()
        n_first = first.n_documents
        assert n_first < len(arts)
        second = crawl_source(sources, "slow", "r1", tmp_path / "data", timeout_s=120, extra_settings=settings)
        assert second.returncode == 0 and not second.timed_out, second.stderr_tail
        article_hits = [r.path for r in server.requests if r.path in set(site.pages.values())]
    docs = read_jsonl(second.documents_path)
    assert sorted(d["year_hint"] for d in docs) == list(range(2010, 2024))
    assert len(article_hits) == len(set(article_hits)) == len(arts)  # nothing fetched twice


def test_bad_sources_give_one_line_errors(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("sources:\n  - id: Bad Id\n", encoding="utf-8")
    with pytest.raises(SourcesError) as exc:
        crawl_source(bad, "x", "r1", tmp_path / "data")
    assert "\n" not in str(exc.value) and "id" in str(exc.value)
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "scrapy",
            "crawl",
            "portal",
            "-a",
            f"sources={bad}",
            "-a",
            "source=x",
            "-a",
            "run_id=r1",
            "-a",
            f"data_dir={tmp_path / 'data'}",
        ],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        env={"PYTHONPATH": str(REPO_ROOT), "PATH": "/usr/bin:/bin"},
    )
    assert proc.returncode == 2
    last = proc.stderr.strip().splitlines()[-1]
    assert last.startswith("gongkai crawl: ") and "Traceback" not in proc.stderr
