"""``gongkai discover URL`` against fixture portals on loopback: a real ``scrapy crawl`` subprocess in
discovery mode, then the printed entry crawled for real."""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
import yaml

from crawler.collect import crawl_source
from crawler.records import read_jsonl
from crawler.sources import parse_sources
from gongkai.discover_report import Findings, Page, Report, entry_yaml, source_id
from gongkai.samples import portal as sp
from gongkai.samples import server as srv
from gongkai.samples.gkmlpt_shapes import build_gkmlpt_shape

from crawl_scenario import FAST, SHARED, build, table

REPO = Path(__file__).resolve().parents[2]


def discover(url: str, *extra: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "gongkai.cli", "discover", url, "--allow-private", "--delay", "0", *extra],
        capture_output=True,
        text=True,
        timeout=180,
        cwd=REPO,
    )


def pasted(stdout: str) -> dict:
    """The YAML entry printed after the report, loaded as a sources file would be."""
    block = stdout.split("# paste into a sources file", 1)[1].split("\n", 1)[1]
    return yaml.safe_load("sources:\n" + block)["sources"][0]


def crawl_entry(tmp_path: Path, entry: dict):
    sources = tmp_path / "pasted.yaml"
    sources.write_text(
        yaml.safe_dump({"allow_private_addresses": True, "sources": [entry]}, allow_unicode=True), encoding="utf-8"
    )
    return crawl_source(sources, entry["id"], "r1", tmp_path / "data", timeout_s=120, extra_settings=FAST)


@pytest.mark.slow
def test_hanweb_portal_column_found_politely_and_the_entry_crawls(tmp_path):
    offsite = srv.PortalServer(routes={})
    offsite.start()
    sc = build("hanweb", tmp_path / "site", offsite)
    base = sc.server.start()
    try:
        out = discover(base + "/", "--pages", "12")
        requests = list(sc.server.requests)
        assert out.returncode == 0, out.stderr
        assert "family      hanweb" in out.stdout
        assert f"column      {base}{sc.site.column_path}" in out.stdout
        assert "2023  示例县2023年政府信息公开工作年度报告" in out.stdout
        assert "dataproxy.jsp?startrecord=" in out.stdout  # the POST list pages
        # polite: robots.txt first, our user agent, the budget kept, no article or file fetched
        assert requests[0].path == "/robots.txt"
        assert all("gongkai-research-crawler" in r.headers.get("user-agent", "") for r in requests)
        assert len(requests) <= 12
        assert not {r.path for r in requests} & set(sc.site.pages.values())
        entry = pasted(out.stdout)
        assert entry["cms"] == "hanweb" and entry["verified"] is False
        assert entry["start_urls"] == [base + sc.site.column_path]
        assert entry["cited_from"] == f"discovered by gongkai discover {base}/ on {date.today().isoformat()}"
        result = crawl_entry(tmp_path, entry)
    finally:
        sc.server.stop()
        offsite.stop()
    assert result.n_documents >= 10, result.stderr_tail
    assert result.stats.get("gongkai/family/home") == "hanweb"  # the pasted start URL is the column


@pytest.mark.slow
def test_gkmlpt_portal_from_its_app_page(tmp_path):
    reports = [
        sp.SampleArticle(f"惠城区{y}年政府信息公开工作年度报告", f"{y + 1}-01-20", table(y)) for y in range(2019, 2024)
    ]
    site = build_gkmlpt_shape(tmp_path / "site", "config_tree", reports, [], site_name="惠州市惠城区人民政府")
    with site.serve(robots_txt="User-agent: *\nAllow: /\n") as base:
        out = discover(base + site.start_path)
        assert out.returncode == 0, out.stderr
        assert "family      gkmlpt" in out.stdout
        assert "/gkmlpt/api/all/2629?page=1&sid=175" in out.stdout
        assert "2023  惠城区2023年政府信息公开工作年度报告" in out.stdout
        entry = pasted(out.stdout)
        assert entry["region"] == "441302" and entry["cms"] == "gkmlpt"
        # the 年报 category has a 2023年度 sub-category: the app page stays the start URL
        assert entry["start_urls"] == [base + site.start_path]
        result = crawl_entry(tmp_path, entry)
    docs = read_jsonl(result.documents_path)
    assert sorted(d["year_hint"] for d in docs) == list(range(2019, 2024))


@pytest.mark.slow
def test_unreachable_and_empty_portals_end_with_one_line(tmp_path):
    dead = srv.PortalServer(routes={})
    dead_url = dead.start()
    dead.stop()  # nothing listens there any more
    out = discover(dead_url + "/")
    assert out.returncode == 1 and out.stdout == ""
    assert out.stderr.count("\n") == 1 and "unreachable (error: " in out.stderr
    with srv.PortalServer(routes={"/": srv.challenge("ruishu")}, robots_txt="User-agent: *\nAllow: /\n") as base:
        out = discover(base + "/")
    assert out.returncode == 1 and out.stderr.count("\n") == 1
    assert "blocked, a person must look (blocked: Ruishu" in out.stderr
    page = srv.text("<html><head><title>某某公司</title></head><body><a href='/about'>关于我们</a></body></html>")
    with srv.PortalServer(routes={"/": page}, robots_txt="User-agent: *\nAllow: /\n") as base:
        out = discover(base + "/")
    assert out.returncode == 1 and out.stderr.count("\n") == 1
    assert "nothing found" in out.stderr
    out = subprocess.run(
        [sys.executable, "-m", "gongkai.cli", "discover", "ftp://example.org/"],
        capture_output=True,
        text=True,
        cwd=REPO,
    )
    assert out.returncode == 2 and "not an http(s) URL" in out.stderr


def test_entry_is_a_valid_registry_entry_with_the_region_guessed_from_the_name():
    col = Page("https://www.hcq.gov.cn/zwgk/zfxxgknb/", "column", "trs", 3)
    f = Findings(
        "https://www.hcq.gov.cn/",
        "惠州市惠城区人民政府门户网站",
        "trs",
        col,
        (),
        (),
        (Report("https://www.hcq.gov.cn/a.html", "惠城区2023年政府信息公开工作年度报告", 2023, col.url),),
        5,
        {"ok": 5},
        False,
        False,
    )
    text = entry_yaml(f, date(2026, 12, 7))
    entry = yaml.safe_load("sources:\n" + text)["sources"][0]
    src = parse_sources({"registry": True, "sources": [entry]}).sources[0]
    assert (src.id, src.region, src.cms, src.verified) == ("hcq", "441302", "trs", False)
    assert src.start_urls == (col.url,) and src.allowed_domains == ("www.hcq.gov.cn",)
    assert source_id("http://www.example.gov.cn:8080/x") == "example"
    unknown = entry_yaml(
        Findings("http://h.example/", "某某单位", "generic", None, (), (), (), 1, {}, False, False), date(2026, 12, 7)
    )
    assert yaml.safe_load("sources:\n" + unknown)["sources"][0]["region"] is None
    assert "cms: auto" in unknown


def test_site_name_is_the_agency_part_of_the_title():
    from parsel import Selector

    from crawler.htmlmeta import site_name

    def name(title: str, meta: dict | None = None) -> str:
        return site_name(Selector(text=f"<html><head><title>{title}</title></head></html>"), meta or {})

    assert name("政府信息公开_惠州市惠城区人民政府") == "惠州市惠城区人民政府"
    assert name("首页 - 示例市人民政府") == "示例市人民政府"
    assert name("某某网") == "某某网"
    assert name("x", {"SiteName": "平潭综合实验区管委会"}) == "平潭综合实验区管委会"


@pytest.mark.slow
def test_real_pingtan_column_page(tmp_path):
    """The real pingtan column page (read from ../shared) served at its own path: an fjdzapp column
    whose second static page is missing here."""
    real = SHARED / "corpus" / "real" / "pingtan_list_index.html"
    if not real.exists():
        pytest.skip("../shared corpus is not beside this checkout")
    column = "/zwgk/zfxxgk/zfxxgknb/"
    with srv.PortalServer(None, {column: srv.raw(real.read_bytes(), "text/html")}) as base:
        out = discover(base + column)
    assert out.returncode == 0, out.stderr
    assert "family      fjdzapp" in out.stdout and "(10 report links on it)" in out.stdout
    assert f"failed: {base}{column}index_1.htm  (error: HTTP 404)" in out.stdout
    assert "2025  平潭综合实验区2025年度政府信息公开工作年度报告" in out.stdout
    entry = pasted(out.stdout)
    assert (entry["name"], entry["region"], entry["cms"]) == ("平潭综合实验区党工委管委会", "350128", "fjdzapp")
