"""Full-text search over section texts (jieba segmentation, the incremental term index, BM25 in SQL)."""

from warehouse import search


def test_segmentation_splits_chinese_words():
    tokens = search.segment_for_index("实际收取信息处理费共计400元。").split()
    assert {"信息", "处理", "信息处理", "400"} <= set(tokens)
    assert "。" not in tokens
    assert search.segment_query("信息处理费").split() == ["信息处理", "费"]


def test_search_finds_the_sections(ro):
    hits = search.search(ro, "信息处理费")
    assert {(h.org_name, h.section_key) for h in hits} == {
        ("淮安市洪泽区人民政府", "sec6_other"),
        ("卫生健康局", "sec6_other"),
    }
    assert hits == sorted(hits, key=lambda h: -h.score)
    hits = search.search(ro, "平台建设")
    assert [(h.org_name, h.report_year, h.section_key) for h in hits] == [
        ("宁波市镇海区卫生健康局", 2022, "sec5_problems")
    ]
    assert "平台建设" in hits[0].snippet
    assert search.search(ro, "高铁站") == []
    assert search.search(ro, "，。") == []


def test_index_is_usable_from_sql(ro):
    sql = (
        "SELECT DISTINCT t.report_id FROM core.section_terms t WHERE t.term = '信息处理' "
        "AND t.section_id IN (SELECT section_id FROM core.section_terms WHERE term = '费')"
    )
    assert len(ro.execute(sql).fetchall()) == 2


def test_scores_are_the_fts_extensions_bm25(ro):
    """The SQL BM25 over core.section_terms gives DuckDB fts's scores (an fts index built in memory
    over the same tokens)."""
    import duckdb

    from warehouse.connect import load_extension

    mem = duckdb.connect()
    load_extension(mem, "fts")
    mem.register("_s", ro.execute("SELECT section_id, report_id, section_key, tokens FROM core.sections").arrow())
    mem.execute("CREATE TABLE sections AS SELECT * FROM _s")
    mem.execute(
        "PRAGMA create_fts_index('sections', 'section_id', 'tokens', stemmer='none', stopwords='none', "
        "ignore='[\\s\\p{P}\\p{S}]+', strip_accents=0, lower=1)"
    )
    for query in ("信息处理费", "平台建设", "政府信息公开", "申请"):
        terms = search.segment_query(query)
        want = mem.execute(
            "SELECT report_id, section_key, score FROM (SELECT *, fts_main_sections.match_bm25("
            "section_id, ?, conjunctive := 1) AS score FROM sections) WHERE score IS NOT NULL "
            "ORDER BY score DESC, report_id, section_key",
            [terms],
        ).fetchall()
        got = [(h.report_id, h.section_key, h.score) for h in search.search(ro, query, limit=1000)]
        assert [g[:2] for g in got] == [w[:2] for w in want], query
        assert all(abs(g[2] - w[2]) < 1e-9 for g, w in zip(got, want)), query
        assert want, query


def test_a_load_indexes_only_its_own_sections(tmp_path, known_run):
    """The index grows by the run's terms; loading the same run again leaves it as it was."""
    from tests.warehouse import wh_records as records
    from warehouse.connect import connect
    from warehouse.loader import load_run

    db = tmp_path / "w.duckdb"
    load_run(db, **known_run)
    with connect(db, read_only=True) as c:
        first = c.execute("SELECT count(*) FROM core.section_terms").fetchone()[0]
    load_run(db, **known_run)
    more = records.run(run_id="run-other", tag="other-")
    load_run(db, **more)
    with connect(db, read_only=True) as c:
        total, again = c.execute(
            "SELECT count(*), count(DISTINCT (section_id, term)) FROM core.section_terms"
        ).fetchone()
        expected = c.execute(
            "SELECT count(*) FROM (SELECT DISTINCT section_id, unnest(string_split(lower(tokens), ' ')) "
            "FROM core.sections)"
        ).fetchone()[0]
    assert first > 0 and total == again == expected
    with connect(db, read_only=True) as c:
        assert search.search(c, "信息处理费")
