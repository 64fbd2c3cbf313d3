"""HTML pages: decode, look like real TRS pages, and hold every value in its grid position."""

import random
import re

import pytest

from gongkai.samples.grids import report_tables
from gongkai.samples.render_html import render_html
from gongkai.samples.values import generate_report
from sample_checks import expand_table, grid_texts as _grid_texts, shared_dir, span_layout, tables_of


def _report(template="gov2021", blanks=0.0, seed=5, **kw):
    return generate_report(random.Random(seed), template=template, blanks=blanks, size="medium", **kw)


@pytest.mark.parametrize("template", ["gov2021", "gov2019", "hybrid"])
@pytest.mark.parametrize("style", ["trs", "plain"])
def test_tables_expand_to_the_printed_grid(template, style):
    r = _report(template, blanks=0.2)
    page = render_html(r, style=style).decode("utf-8")
    tables = tables_of(page, "TRS_Editor")
    assert len(tables) == 3
    for table, grid in zip(tables, report_tables(r)):
        assert expand_table(table) == _grid_texts(grid)


def test_trs_page_like_pingtan():
    r = _report()
    page = render_html(r).decode("utf-8")
    for name, value in (
        ("ArticleTitle", r.title),
        ("PubDate", r.publish_date),
        ("ColumnName", "政府信息公开年报"),
        ("SiteIDCode", r.site["SiteIDCode"]),
    ):
        assert re.search(rf'<meta name="{name}" content="{re.escape(value)}[^"]*"/>', page), name
    assert '<meta charset="utf-8"' in page
    assert 'class="MsoNormalTable"' in page and 'class="article_title' in page
    sec3 = tables_of(page, "TRS_Editor")[1]
    assert sec3.xpath('.//td[@rowspan="22"]')[0].text_content().startswith("三、本")
    assert len(sec3.xpath('.//td[@rowspan="22"]//p')) == 3  # 三、本 / 年度办 / 理结果
    assert "&nbsp;" in page


def test_blank_cells_are_nbsp():
    r = _report(blanks=0.3)
    page = render_html(r).decode("utf-8")
    blank_key = next(k for k, v in r.cells.items() if v is None and k.startswith("s3_"))
    assert blank_key
    tds = tables_of(page, "TRS_Editor")[1].xpath(".//td")
    assert any(td.text_content() == "\xa0" for td in tds)


def test_gb18030_page_declared_gb2312():
    r = _report()
    data = render_html(r, encoding="gb18030", declared="gb2312")
    with pytest.raises(UnicodeDecodeError):
        data.decode("gb2312")
    page = data.decode("gb18030")
    assert "charset=gb2312" in page and "喆" in page
    assert len(tables_of(page, "TRS_Editor")) == 3
    assert r.title in page


def test_quirks_nbsp_padding_split_group_title_outside():
    r = _report(template="gov2019")
    page = render_html(r, quirks={"nbsp_padding", "split_group", "title_outside"}).decode("utf-8")
    sec3 = tables_of(page, "TRS_Editor")[1]
    assert [td.get("rowspan") for td in sec3.xpath(".//td") if td.text_content().startswith("三、本")] == ["10", "10"]
    editor = tables_of(page, None)[0].getparent()
    assert r.title not in [p.text_content() for p in editor.xpath("./p")]
    assert r.title in page  # still in <title>, ArticleTitle and the article header
    assert "&nbsp;&nbsp;" in page


def test_span_layout_matches_real_pages():
    shared = shared_dir()
    if shared is None or not (shared / "corpus/real/pingtan_80629.html").exists():
        pytest.skip("../shared/corpus/real is not available")
    cases = (("pingtan_80629.html", "gov2021", set()), ("pingtan_80576.html", "gov2019", {"split_group"}))
    for name, template, quirks in cases:
        real = tables_of((shared / "corpus/real" / name).read_text("utf-8"), "TRS_Editor")
        ours = tables_of(render_html(_report(template), quirks=quirks).decode("utf-8"), "TRS_Editor")
        assert [span_layout(t) for t in ours] == [span_layout(t) for t in real], name


def test_deterministic_and_bad_arguments():
    assert render_html(_report()) == render_html(_report())
    with pytest.raises(ValueError):
        render_html(_report(), encoding="latin-1")
    with pytest.raises(ValueError):
        render_html(_report(), style="hanweb")
