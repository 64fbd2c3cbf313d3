"""Our own generated report PDFs: ruled (lines, WPS-style rectangles), borderless, split across
pages with and without a repeated header, numbers wrapped in narrow cells, fake bold."""

from __future__ import annotations

import pytest

from pipeline.pdf import pdf_to_layout

from .helpers import extract, find_row, norm, table_rows
from .synth import gov_report, report_values


def _check_all(layout, expected):
    got = extract(layout)
    wrong = {k: (v, got.get(k)) for k, v in expected.items() if got.get(k) != v}
    assert not wrong, wrong
    assert len(expected) == 200


@pytest.mark.parametrize("style", ["lines", "rects", "borderless"])
def test_every_cell_recovered(style):
    data, expected = gov_report(style=style, seed=5)
    layout = pdf_to_layout(data)
    _check_all(layout, expected)
    heads = [ln.text for ln in layout.lines if ln.table is None and ln.text[:2] in ("三、", "四、", "五、")]
    assert heads == [
        "三、收到和处理政府信息公开申请情况",
        "四、政府信息公开行政复议、行政诉讼情况",
        "五、存在的主要问题及改进情况",
    ]
    assert not any(ln.text.strip("- ").isdigit() for ln in layout.lines)  # page numbers dropped


@pytest.mark.parametrize("style", ["lines", "borderless"])
def test_group_labels_on_every_row(style):
    layout = pdf_to_layout(gov_report(style=style, seed=5)[0])
    for kw, group in [
        ("属于国家", "(三)不予公开"),
        ("行政查询", "(三)不予公开"),
        ("补正后", "(四)无法提供"),
        ("要求行政机关", "(五)不予处理"),
        ("3.其他", "(六)其他处理"),
    ]:
        row = find_row(layout, kw)
        texts = [norm(c.text) for c in row.cells]
        assert group in texts and "三、本年度办理结果" in texts, (kw, texts)


@pytest.mark.parametrize("style", ["lines", "rects", "borderless"])
@pytest.mark.parametrize("repeat", [False, True])
def test_table_split_across_pages(style, repeat):
    data, expected = gov_report(style=style, split_at=14, repeat_header=repeat, seed=9)
    layout = pdf_to_layout(data)
    _check_all(layout, expected)
    before, after = find_row(layout, "行政执法"), find_row(layout, "行政查询")  # rows 11 and 12 of the table
    assert before.locator["page"] + 1 == after.locator["page"]
    assert before.table == after.table and after.row == before.row + 1
    rows = [ln for ln in table_rows(layout) if ln.table == before.table]
    assert sum("申请人情况" in ln.text for ln in rows) == 1  # a repeated header is dropped
    assert [ln.row for ln in rows] == list(range(len(rows)))


@pytest.mark.parametrize("style", ["lines", "borderless"])
def test_numbers_wrapped_in_narrow_cells(style):
    values = report_values(seed=21, big=True)
    data, expected = gov_report(style=style, values=values, value_width=21)
    long = [v for k, v in expected.items() if k.startswith("s3_") and len(v) >= 5]
    assert len(long) >= 10  # the test means something: these wrap in a 21 pt column
    _check_all(pdf_to_layout(data), expected)


def test_fake_bold_headings_are_not_doubled():
    data, expected = gov_report(fake_bold=True, seed=5)
    layout = pdf_to_layout(data)
    heads = [ln.text for ln in layout.lines if ln.table is None and ln.text.startswith("三、")]
    assert heads == ["三、收到和处理政府信息公开申请情况"]
    assert layout.title_hint == "测试市示范区人民政府2024年政府信息公开工作年度报告"
    _check_all(layout, expected)


@pytest.mark.parametrize("style", ["lines", "borderless"])
def test_blank_value_cells_stay_blank(style):
    values = report_values(seed=5)
    for key in ("s3_granted__research_institution", "s4_review_upheld", "s4_lit_after_review_total"):
        values[key] = ""
    data, expected = gov_report(style=style, values=values)
    layout = pdf_to_layout(data)
    got = extract(layout)
    assert got["s3_granted__research_institution"] == ""
    assert got["s4_review_upheld"] == "" and got["s4_lit_after_review_total"] == ""
    _check_all(layout, expected)


@pytest.mark.parametrize("style", ["lines", "borderless"])
def test_other_page_number_styles(style):
    for fmt in ("— {n} —", "第{n}页", "{n}"):
        data, expected = gov_report(style=style, page_numbers=fmt, seed=5)
        layout = pdf_to_layout(data)
        numbers = {fmt.format(n=n) for n in range(1, 5)}
        assert not any(ln.text in numbers for ln in layout.lines)
        _check_all(layout, expected)


@pytest.mark.parametrize("style", ["lines", "borderless"])
def test_diagonal_watermark_is_ignored(style):
    data, expected = gov_report(style=style, watermark="内部资料仅供参考", seed=5)
    layout = pdf_to_layout(data)
    assert not any("内部资料" in ln.text for ln in layout.lines)
    _check_all(layout, expected)


@pytest.mark.parametrize("rotate", [90, 180, 270])
def test_sideways_pages_are_turned(rotate):
    data, expected = gov_report(rotate=rotate, seed=5)
    layout = pdf_to_layout(data)
    assert layout.lines[0].text == "测试市示范区人民政府"
    assert any("turned by" in w for w in layout.warnings)
    _check_all(layout, expected)
