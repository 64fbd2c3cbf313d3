"""The project's own generated reports (gongkai.samples) as PDFs, read back whole through
``pipeline.api.parse_bytes``: borderless tables with blank columns, blank rows, values with units,
headers split over pages; ruled tables whose header ends a page. Each case failed once."""

from __future__ import annotations

import random
from dataclasses import replace

import pytest

from gongkai.samples.render_pdf import render_pdf
from gongkai.samples.values import generate_report
from pipeline.api import parse_bytes
from pipeline.pdf import pdf_to_layout
from pipeline.pdf.textlines import has_cjk2, is_value
from tests.test_roundtrip_property import check_record

from .helpers import find_row, norm, table_rows, values
from .sweep import draw, renderings


def _report(template: str, seed: int = 3, blank: tuple[str, ...] = (), **kw):
    report = generate_report(random.Random(seed), template=template, **kw)
    return replace(report, cells={**report.cells, **{k: None for k in blank}})


def _value_cells(row) -> list[str]:
    """The cells right of the row's last label cell."""
    cells = sorted((c for c in row.cells if not c.continued), key=lambda c: c.col)
    last = max(i for i, c in enumerate(cells) if has_cjk2(c.text) and not is_value(c.text))
    return [c.text for c in cells[last + 1 :]]


# seeds of the sweep (tests/pdf/sweep.py) that once failed, with what they exercise
SWEEP_CASES = [
    (1, "pdf-borderless"),  # 政府集中采购 "1" beside "842087.01元"
    (6, "pdf-borderless"),  # header-only columns: 现行有效件数 blank in both rows; s4 blanks
    (6, "pdf-repeat-header"),  # ruled s4: header alone at a page bottom, repeated on the next page
    (9, "pdf-borderless"),  # a blank one-row sub-table right above the next sub-table's caption
    (15, "pdf-borderless"),  # zeros_blank: long runs of blank rows inside section 三
    (15, "pdf-borderless-wrapped"),  # narrow value columns: header words and labels half an em apart
    (30, "pdf-borderless"),  # blank rows between rows with numbers
    (40, "pdf-borderless"),  # the section 三 header split over two pages
    (148, "pdf-borderless"),  # blank rows next to rows whose only numbers are far apart
    (335, "pdf-borderless"),  # hybrid, zeros_blank, no application: section 三 prints no number at all
]


@pytest.mark.parametrize("seed,kind", SWEEP_CASES)
def test_sweep_cases_read_back_exactly(seed, kind):
    report = draw(seed)
    check_record(parse_bytes(renderings()[kind](report), "report.pdf"), report, f"seed {seed} {kind}")


@pytest.mark.parametrize("seed", [2, 5])  # 3 beside 1283879.14元, 8 beside 999.446万元
def test_value_with_unit_stays_apart_from_its_neighbour(seed):
    report = _report("gov2019", seed=seed)
    assert report.units.get("s2_procurement_amount") and report.cells["s2_procurement_items"]
    layout = pdf_to_layout(render_pdf(report, style="borderless"))
    vals = _value_cells(find_row(layout, "政府集中采购"))
    assert vals == [report.printed("s2_procurement_items"), report.printed("s2_procurement_amount")]


def test_blank_columns_keep_their_places():
    """A column blank in every row is found from its header; blanks are gaps, not shifts."""
    blank = (
        "s2_regulation_in_force",
        "s2_normative_doc_in_force",
        "s4_review_upheld",
        "s4_review_pending",
        "s4_lit_direct_total",
        "s4_lit_after_review_upheld",
    )
    report = _report("gov2021", blank=blank)
    layout = pdf_to_layout(render_pdf(report, style="borderless"))
    assert _value_cells(find_row(layout, "规章"))[2] == ""
    data = next(
        ln
        for ln in table_rows(layout)
        if len(ln.cells) >= 15 and "结果维持" not in ln.text and any(c.text.isdigit() for c in ln.cells)
    )
    cells = sorted(data.cells, key=lambda c: c.col)
    assert len(cells) == 15
    s4 = [k for k in report.definition.keys if k.startswith("s4_")]
    assert [c.text for c in cells] == [report.printed(k) for k in s4]
    check_record(parse_bytes(render_pdf(report, style="borderless"), "r.pdf"), report, "blank columns")


@pytest.mark.parametrize(
    "keys",
    [
        ("s2_coercion_decisions",),  # the last row of a one-value sub-table
        ("s2_penalty_decisions",),  # the first row of a one-value sub-table
        ("s2_license_decisions",),  # a one-row sub-table left blank
    ],
)
def test_blank_one_value_rows_are_rows(keys):
    report = _report("gov2021", blank=keys)
    layout = pdf_to_layout(render_pdf(report, style="borderless"))
    label = {
        "s2_coercion_decisions": "行政强制",
        "s2_penalty_decisions": "行政处罚",
        "s2_license_decisions": "行政许可",
    }[keys[0]]
    if keys[0] != "s2_license_decisions":  # a sub-table with no number at all stays text
        row = find_row(layout, label)
        assert _value_cells(row) == [""]
    check_record(parse_bytes(render_pdf(report, style="borderless"), "r.pdf"), report, f"blank {keys}")


def test_blank_section3_rows_are_rows():
    report = _report("gov2021", seed=5, size="medium")
    rows = [
        k
        for k in report.definition.keys
        if k.startswith("s3_not_processed_duplicate__")
        or k.startswith("s3_other_fee_unpaid_overdue__")
        or k.startswith("s3_carried_forward__")
    ]
    report = replace(report, cells={**report.cells, **{k: None for k in rows}})
    layout = pdf_to_layout(render_pdf(report, style="borderless"))
    for kw in ("2.重复申请", "申请人逾期未按收费通知", "四、结转下年度继续办理"):
        row = find_row(layout, kw)
        assert _value_cells(row) == [""] * 7, (kw, row.text)
    check_record(parse_bytes(render_pdf(report, style="borderless"), "r.pdf"), report, "blank s3 rows")


def test_group_labels_of_generated_borderless_table():
    layout = pdf_to_layout(render_pdf(_report("gov2021", seed=5), style="borderless"))
    for kw, group in [("属于国家", "(三)不予公开"), ("补正后", "(四)无法提供"), ("3.其他", "(六)其他处理")]:
        texts = [norm(c.text) for c in find_row(layout, kw).cells]
        assert group in texts and "三、本年度办理结果" in texts, (kw, texts)


def test_a_table_without_any_number_is_still_a_table():
    report = _report("gov2019", seed=7)
    report = replace(report, cells={k: (None if k.startswith("s3_") else v) for k, v in report.cells.items()})
    layout = pdf_to_layout(render_pdf(report, style="borderless"))
    for kw in ("本年新收", "(六)其他处理", "(七)总计", "四、结转下年度继续办理"):
        row = find_row(layout, kw)
        assert row.table is not None and values(row, 7) == [""] * 7, (kw, row.text)
    assert find_row(layout, "属于国家秘密").table == find_row(layout, "本年新收").table
    check_record(parse_bytes(render_pdf(report, style="borderless"), "r.pdf"), report, "blank section 三")


@pytest.mark.parametrize(
    "template,seed,blanks", [("gov2021", 0, 0.0), ("gov2021", 1, 0.1), ("hybrid", 4, 0.0), ("gov2019", 2, 0.02)]
)
def test_wrapped_labels_in_a_spaced_borderless_table(template, seed, blanks):
    """1.5-spaced labels in cells with little padding: the lines of a wrapped label
    (1.申请人无正当理由逾期不补正、… under （六）其他处理) sit farther apart than 0.9 of a one-line
    row, with the row's numbers between them. Such a row was once left entirely missing."""
    report = _report(template, seed, blanks=blanks)
    data = render_pdf(report, style="borderless", cell_spacing="spaced")
    layout = pdf_to_layout(data)
    if template == "gov2021":
        row = find_row(layout, "逾期不补正", "其他处理")
        assert "申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请" in norm(
            "".join(c.text for c in row.cells)
        )
    check_record(parse_bytes(data, "report.pdf"), report, f"borderless spaced {template}")
