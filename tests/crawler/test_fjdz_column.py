"""A Fujian column longer than its static pages, crawled for real: the pages past ``maxStaticIndex``
come from the site's search API, and the start URL (a sub-column with an unknown slug) is read as the
column the operator chose, pagination included."""

from __future__ import annotations

import pytest

from crawler.collect import crawl_source
from crawler.families import family
from crawler.records import read_jsonl
from gongkai.samples import portal as sp
from gongkai.samples.fjdz_portal import build_fjdz_column

from crawl_scenario import FAST, table

DEPTS = ["财政局", "教育局", "民政局", "司法局", "交通运输局"]
ARTICLES = [
    sp.SampleArticle(f"示例县{d}{y}年政府信息公开工作年度报告", f"{y + 1}-02-{10 + i:02d}", table(y))
    for i, d in enumerate(DEPTS)
    for y in range(2019, 2024)
]


@pytest.mark.slow
def test_every_report_of_a_column_longer_than_its_static_pages(tmp_path):
    site = build_fjdz_column(tmp_path / "site", ARTICLES, prepage=10, max_static=1)
    with site.serve(robots_txt="User-agent: *\nAllow: /\n") as base:
        sources = tmp_path / "sources.yaml"
        sources.write_text(sp.sources_yaml("fj", base, start_path=site.start_path), encoding="utf-8")
        result = crawl_source(sources, "fj", "r1", tmp_path / "data", timeout_s=120, extra_settings=FAST)
    assert result.ok, result.stderr_tail
    docs = read_jsonl(result.documents_path)
    assert sorted(d["title"] for d in docs) == sorted(a.title for a in ARTICLES)
    lists = [f for f in read_jsonl(result.fetches_path) if f["kind"] == "list"]
    assert [f["method"] for f in lists].count("POST") == 1  # page 3 of 3: the only one not static
    assert "gongkai/list_pages_unreachable" not in result.stats


def test_search_api_answer_read_like_the_real_one():
    import json
    from pathlib import Path

    from crawl_scenario import SHARED

    real = SHARED / "corpus" / "real" / "sanming_list_api_p001.json"
    res = family("fjdzapp").payload(
        "fjdz_json",
        "https://www.sm.gov.cn/fjdzapp/search",
        real.read_text("utf-8"),
        (("channelid", "1"), ("page", "1"), ("prepage", "100")),
    )
    data = json.loads(Path(real).read_text("utf-8"))["data"]
    assert [l.url for l in res.articles] == [d["docpuburl"] for d in data]
    assert [l.label for l in res.articles] == [d["doctitle"] for d in data] and res.more == ()
    with pytest.raises(ValueError):
        family("fjdzapp").payload("fjdz_json", "https://h/fjdzapp/search", '{"error": true}')
