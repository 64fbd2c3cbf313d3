"""Full-text search over section texts (jieba segmentation + DuckDB fts)."""
from warehouse import search


def test_segmentation_splits_chinese_words():
    tokens = search.segment_for_index("实际收取信息处理费共计400元。").split()
    assert {"信息", "处理", "信息处理", "400"} <= set(tokens)
    assert "。" not in tokens
    assert search.segment_query("信息处理费").split() == ["信息处理", "费"]


def test_search_finds_the_sections(ro):
    hits = search.search(ro, "信息处理费")
    assert {(h.org_name, h.section_key) for h in hits} == {("淮安市洪泽区人民政府", "sec6_other"),
                                                          ("卫生健康局", "sec6_other")}
    assert hits == sorted(hits, key=lambda h: -h.score)
    hits = search.search(ro, "平台建设")
    assert [(h.org_name, h.report_year, h.section_key) for h in hits] == [("宁波市镇海区卫生健康局", 2022, "sec5_problems")]
    assert "平台建设" in hits[0].snippet
    assert search.search(ro, "高铁站") == []
    assert search.search(ro, "，。") == []


def test_index_is_usable_from_sql(ro):
    sql = ("SELECT report_id FROM (SELECT *, fts_core_sections.match_bm25(section_id, ?, conjunctive := 1) AS s "
           "FROM core.sections) WHERE s IS NOT NULL")
    assert len(ro.execute(sql, [search.segment_query("信息处理费")]).fetchall()) == 2
