"""The real pingtan column and article pages (read from ../shared, never copied) served on 127.0.0.1
at their own paths, crawled with ``cms: auto``."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest

from crawler.collect import crawl_source
from crawler.records import read_jsonl
from gongkai.samples import portal as sp
from gongkai.samples import server as srv

from crawl_scenario import SHARED
from crawl_scenario import FAST

pytestmark = pytest.mark.slow
REAL = SHARED / "corpus" / "real"
COLUMN = "/zwgk/zfxxgk/zfxxgknb/"


def test_real_pingtan_column(tmp_path):
    if not (REAL / "pingtan_list_index.html").exists():
        pytest.skip("../shared corpus is not beside this checkout")
    listing = (REAL / "pingtan_list_index.html").read_bytes()
    routes = {COLUMN: srv.raw(listing, "text/html"), COLUMN + "index.htm": srv.raw(listing, "text/html")}
    served = {}
    for f in sorted(REAL.glob("pingtan_[0-9]*.html")):
        data = f.read_bytes()
        url = re.search(rb'<meta name="Url" content="([^"]+)"', data).group(1).decode()
        path = urlsplit(url).path
        routes[path] = srv.raw(data, "text/html")
        served[path] = re.search(rb'<meta name="ArticleTitle" content="([^"]+)"', data).group(1).decode()
    server = srv.PortalServer(None, routes)
    with server as base:
        sources = tmp_path / "s.yaml"
        sources.write_text(sp.sources_yaml("pingtan", base, start_path=COLUMN), encoding="utf-8")
        r = crawl_source(sources, "pingtan", "r1", tmp_path / "data", timeout_s=120, extra_settings=FAST)
        paths = server.paths()
    assert r.returncode == 0, r.stderr_tail
    assert r.stats.get("gongkai/family/column") == "fjdzapp"
    fetches = read_jsonl(r.fetches_path)
    by_path = {urlsplit(f["url"]).path: f for f in fetches if f["url"].startswith(base)}
    # the ten reports listed on page 1: the six we hold are found, the four we do not are 404 errors
    docs = read_jsonl(r.documents_path)
    assert sorted(d["year_hint"] for d in docs) == [2018, 2019, 2022, 2023, 2024, 2025]
    assert all(d["role"] == "page" and d["title"] == served[urlsplit(d["page_url"]).path] for d in docs)
    assert {d["year_hint"] for d in docs if d["has_table"]} >= {2019, 2022}
    missing = [p for p, f in by_path.items() if f["kind"] == "article" and f["outcome"] == "error"]
    assert len(missing) == 4 and all(by_path[p]["http_status"] == 404 for p in missing)
    assert by_path[COLUMN + "index_1.htm"]["kind"] == "list"  # the static second page
    assert by_path["/robots.txt"]["outcome"] == "ok" and "no robots.txt" in by_path["/robots.txt"]["reason"]
    art = by_path[next(p for p in served if p.endswith("_80629.htm"))]
    assert art["meta"]["SiteIDCode"] == "3590000001" and art["encoding"] == "utf-8"
    # absolute links to the live portal are refused, never requested
    live = [f for f in fetches if f["url"].startswith("https://www.pingtan.gov.cn")]
    assert live and all(f["outcome"] == "skipped" and f["reason"].startswith("off-site") for f in live)
    assert "/images/" not in " ".join(paths)
