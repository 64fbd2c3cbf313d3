"""Real and generated report PDFs from ../shared against their gold answers (Layout level)."""

from __future__ import annotations

import pytest

from pipeline.pdf import pdf_to_layout

from .helpers import S3_COLS, as_number, extract, find_row, gold, s4_row, shared_dir, values

SHARED = shared_dir()
pytestmark = pytest.mark.skipif(SHARED is None, reason="../shared corpus not present")


def _layout(rel: str):
    return pdf_to_layout((SHARED / "corpus" / rel).read_bytes())


@pytest.mark.parametrize("name, template_id", [("hongze_2024", "gov2019"), ("report004_seed_pdf", "gov2021")])
def test_every_gold_cell(name, template_id):
    g = gold(name)
    layout = _layout(g["file"])
    got = extract(layout, template_id)
    assert set(g["cells"]) <= set(got), sorted(set(g["cells"]) - set(got))
    wrong = {k: (want, got[k]) for k, want in g["cells"].items() if as_number(got[k]) != want}
    assert not wrong, wrong
    assert len(g["cells"]) >= 180


def test_layout_metadata_and_locators():
    layout = _layout("real/hongze_2024.pdf")
    assert layout.format == "pdf"
    assert layout.converter.startswith("pdfminer.six ")
    assert layout.pages == 5
    assert layout.title_hint == "淮安市洪泽区人民政府2024年政府信息公开工作年度报告"
    for ln in layout.lines:
        for c in ln.cells:
            assert 1 <= c.locator["page"] <= 5 and len(c.locator["bbox"]) == 4
    # page numbers (-1-, -2-, ...) are dropped, headings stay as running text in order
    texts = [ln.text for ln in layout.lines if ln.table is None]
    assert not any(t.strip("-").isdigit() for t in texts)
    heads = [t for t in texts if t[:2] in ("一、", "二、", "三、", "四、", "五、", "六、")]
    assert heads == [
        "一、总体情况",
        "二、主动公开政府信息情况",
        "三、收到和处理政府信息公开申请情况",
        "四、政府信息公开行政复议、行政诉讼情况",
        "五、存在的主要问题及改进情况",
        "六、其他需要报告的事项",
    ]


def test_section3_table_continues_over_the_page_with_group_labels():
    layout = _layout("real/hongze_2024.pdf")
    first = find_row(layout, "本年新收")
    second_page = find_row(layout, "没有现成")
    assert first.table == second_page.table and second_page.row > first.row
    assert first.locator["page"] == 3 and second_page.locator["page"] == 4
    group = [c for c in second_page.cells if c.continued]
    assert [norm_text(c.text) for c in group] == ["三、本年度办理结果", "(四)无法提供"]


def norm_text(t):
    return "".join(t.split())


def test_hongze_2023_contradiction_kept_as_printed():
    # rendered page 4 with pdftoppm and checked by eye: 行政复议 结果维持 10, 结果纠正 1, 其他 0, 尚未审结 0, 总计 0
    layout = _layout("real/hongze_2023.pdf")
    row = values(s4_row(layout), 15)
    assert row[:5] == ["10", "1", "0", "0", "0"]
    assert row[10:] == ["5", "0", "0", "0", "0"]
    assert values(find_row(layout, "本年新收"), len(S3_COLS)) == ["21", "0", "0", "0", "0", "0", "21"]


def test_word_export_row_split_by_page_break():
    # report004_seed.pdf breaks row (六)1 across pages 3 and 4: label halves are joined
    layout = _layout("generated/report004_seed.pdf")
    row = find_row(layout, "逾期不补正")
    label = [c.text for c in row.cells if not c.continued and not c.text.isdigit()]
    assert "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请" in label
    assert any(c.continued and c.text == "三、本年度办理结果" for c in find_row(layout, "3.其他", "其他处理").cells)
    assert [c.text for c in find_row(layout, "收费通知").cells if c.continued][-1] == "(六)其他处理"
