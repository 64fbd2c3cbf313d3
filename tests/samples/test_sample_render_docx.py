"""DOCX files: real Word tables with merged cells, read back by mammoth and python-docx."""

import io
import random

import docx
import mammoth
import pytest

from gongkai.samples.grids import report_tables
from gongkai.samples.render_docx import render_docx
from gongkai.samples.values import generate_report
from pipeline.sniff import sniff
from sample_checks import clean, expand_table, grid_texts as _grid_texts, shared_dir, span_layout, tables_of


def _report(template="gov2021", blanks=0.0, seed=9, **kw):
    return generate_report(random.Random(seed), template=template, blanks=blanks, size="medium", **kw)


@pytest.mark.parametrize("template", ["gov2021", "gov2019", "hybrid"])
def test_mammoth_keeps_rowspan_colspan_and_values(template):
    r = _report(template, blanks=0.2)
    data = render_docx(r)
    assert sniff(data, "x.docx") == "docx"
    html = mammoth.convert_to_html(io.BytesIO(data)).value
    tables = tables_of(f"<div>{html}</div>")
    assert len(tables) == 3
    for table, grid in zip(tables, report_tables(r)):
        assert expand_table(table) == _grid_texts(grid)
    sec3 = tables[1]
    assert sec3.xpath('.//td[@rowspan="22" or @rowspan="20"]') and sec3.xpath('.//td[@colspan="7"]')
    text = clean(html)
    for line in r.title_lines:
        assert clean(line) in text
    assert "一、总体情况" in text and clean(r.sections.sec6_other) in text


def test_python_docx_reads_headings_and_merged_cells():
    r = _report(quirks={"two_line_title"})
    d = docx.Document(io.BytesIO(render_docx(r)))
    paras = [p.text for p in d.paragraphs if p.text]
    assert paras[:2] == list(r.title_lines)
    assert "三、收到和处理政府信息公开申请情况" in paras
    sec3 = d.tables[1]
    assert sec3.cell(5, 0).text == sec3.cell(26, 0).text == "三、本年度办理结果"  # one vMerge cell
    assert sec3.cell(3, 0).text == sec3.cell(3, 2).text  # gridSpan over three columns
    footer = d.sections[0].footer._element.xml
    assert 'w:instr="PAGE"' in footer


def test_span_layout_matches_seed_004_docx():
    shared = shared_dir()
    path = shared / "corpus/generated/report004_seed.docx" if shared else None
    if path is None or not path.exists():
        pytest.skip("../shared/corpus/generated is not available")
    real = tables_of("<div>%s</div>" % mammoth.convert_to_html(io.BytesIO(path.read_bytes())).value)
    ours = tables_of("<div>%s</div>" % mammoth.convert_to_html(io.BytesIO(render_docx(_report()))).value)
    assert [span_layout(t) for t in ours] == [span_layout(t) for t in real]


def test_cell_line_breaks_quirk_and_determinism():
    r = _report()
    data = render_docx(r, quirks={"cell_line_breaks"})
    html = mammoth.convert_to_html(io.BytesIO(data)).value
    assert "<p>三、本</p><p>年度办</p><p>理结果</p>" in html
    assert render_docx(r) == render_docx(_report())
