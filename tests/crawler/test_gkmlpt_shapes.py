"""Real ``scrapy crawl portal`` runs against a gkmlpt portal in every entry shape of issue 19."""

from __future__ import annotations

import pytest

from crawler.collect import crawl_source
from crawler.records import read_jsonl
from gongkai.samples import portal as sp
from gongkai.samples.gkmlpt_shapes import SHAPES, build_gkmlpt_shape

from crawl_scenario import FAST, table

pytestmark = pytest.mark.slow
YEARS = range(2017, 2024)
REPORTS = [sp.SampleArticle(f"示例区{y}年政府信息公开工作年度报告", f"{y + 1}-01-2{y % 7}", table(y)) for y in YEARS]
OTHERS = [
    sp.SampleArticle("关于做好2023年度政府信息公开工作年度报告编制工作的通知", "2023-12-01", "<p>通知</p>"),
    sp.SampleArticle("示例区2024年政务公开工作要点", "2024-03-01", "<p>要点</p>"),
    sp.SampleArticle("示例区2023年国民经济和社会发展统计公报", "2024-03-05", "<p>公报</p>"),
    sp.SampleArticle("示例区人民政府关于印发某某办法的通知", "2024-04-01", "<p>办法</p>"),
]


def crawl(tmp_path, shape: str, prefix: str = ""):
    site = build_gkmlpt_shape(tmp_path / "site", shape, REPORTS, OTHERS, prefix=prefix)
    with site.serve(robots_txt="User-agent: *\nAllow: /\n") as base:
        sources = tmp_path / "sources.yaml"
        sources.write_text(sp.sources_yaml("gd", base, start_path=site.start_path), encoding="utf-8")
        result = crawl_source(sources, "gd", "r1", tmp_path / "data", timeout_s=120, extra_settings=FAST)
    return site, result


@pytest.mark.parametrize("shape,prefix", [(s, "") for s in SHAPES] + [("fragment", "/bm"), ("all_only", "/bm")])
def test_every_report_found_in_every_entry_shape(tmp_path, shape, prefix):
    site, result = crawl(tmp_path, shape, prefix)
    assert result.ok, result.stderr_tail
    docs = read_jsonl(result.documents_path)
    assert sorted(d["year_hint"] for d in docs) == list(YEARS), [d["document_url"] for d in docs]
    assert {d["role"] for d in docs} == {"page"}
    fetched = {f["url"].split("://", 1)[1].split("/", 1)[1] for f in read_jsonl(result.fetches_path)}
    for other in OTHERS:  # listed beside the reports (all_only) but never fetched
        assert site.pages[other.title].lstrip("/") not in fetched
    assert result.stats.get("gongkai/family/" + ("column" if shape == "fragment" else "home")) == "gkmlpt"
