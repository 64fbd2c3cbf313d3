"""Text renderings look like the seeds and keep every printed value in its place."""

import dataclasses
import random

import pytest

from gongkai.samples.model import template_of
from gongkai.samples.render_text import render_text
from gongkai.samples.values import generate_report

COLS = (
    "natural_person",
    "commercial_enterprise",
    "research_institution",
    "social_welfare_org",
    "legal_service_org",
    "other_org",
    "total",
)


def _report(template="gov2021", blanks=0.0, seed=7, **kw):
    return generate_report(random.Random(seed), template=template, blanks=blanks, size="medium", **kw)


def _line(text, start):
    return next(line for line in text.split("\n") if line.lstrip("\t").startswith(start.lstrip("\t")) or start in line)


@pytest.mark.parametrize("template", ["gov2021", "gov2019", "hybrid"])
def test_tabbed_rows_hold_values_in_grid_columns(template):
    r = _report(template, blanks=0.15)
    text = render_text(r, "tabbed")
    fields = _line(text, "（七）总计").split("\t")
    assert fields[1] == "（七）总计" and fields[2] == ""
    assert fields[3:10] == [r.printed(f"s3_results_total__{c}") for c in COLS]
    fields = _line(text, "2.其他法律行政法规禁止公开").split("\t")
    assert fields[3:10] == [r.printed(f"s3_denied_law_prohibited__{c}") for c in COLS]
    fields = _line(text, "四、结转下年度继续办理").split("\t")
    assert fields[1:3] == ["", ""] and fields[3:10] == [r.printed(f"s3_carried_forward__{c}") for c in COLS]
    s4 = [line for line in text.split("\n") if line.count("\t") == 14][-1].split("\t")
    assert s4 == [r.printed(k) for k in template_of(template).section_keys(4)]
    for line in text.split("\n"):
        if line.startswith("行政许可"):
            assert line.split("\t")[1] == r.printed(
                "s2_license_decisions" if template != "gov2019" else "s2_license_prev_year_items"
            )


def test_one_per_line_layout_like_seed_004():
    r = _report(quirks={"two_line_title"})
    text = render_text(r, "one_per_line", quirks={"wrap_labels", "padding"})
    lines = text.split("\n")
    assert lines[1:3] == list(r.title_lines)
    i = lines.index("\t（七）总计")
    assert lines[i - 2 : i] == ["", "\t"]  # blank line, then 三、本年度办理结果 continued
    values = lines[i + 1 : i + 8]
    assert [v.strip("\t\u3000\xa0") for v in values] == [r.printed(f"s3_results_total__{c}") for c in COLS]
    assert "\t（三）不\n予公开" in text and "\t自然\n人" in text and "\t三、本\n年度办\n理结果" in text
    assert any(ch in text for ch in ("\u3000", "\xa0"))


def test_spaces_layout_like_seed_000():
    r = _report(blanks=0.1)
    text = render_text(r, "spaces", quirks={"wrap_labels", "wrap_paragraphs"})
    want = " ".join(r.printed(f"s3_granted__{c}") or "-" for c in COLS)
    assert f"（一）予以公开 {want}" in text.split("\n")
    assert "三、本\n\n年度办\n\n理结果" in text
    assert "\t" not in text
    body = [line for line in text.split("\n") if line and not line[0].isdigit()]
    assert max(len(line) for line in body) <= 36 + 40  # hard-wrapped paragraphs (tables may be longer)


def test_markdown_bookmark_and_halfwidth_quirks_like_seeds_001_003():
    r = _report(quirks={"halfwidth_labels"})
    text = render_text(r, "tabbed", quirks={"markdown", "bookmark"})
    assert text.startswith(f"[bookmark: _GoBack]# {r.title}\n")
    assert "\n## 一、总体情况\n" in text and "\n### 三、收到和处理政府信息公开申请情况\n" in text
    assert "\n## **六、其他需要报告的事项**\n" in text
    assert "第二十条第(一)项" in text and "\t(三) 不予公开\t1. 属于国家秘密\t" in text
    assert "**（一）主动公开情况。**" in text


def test_truncated_labels_like_seed_002():
    r = _report("hybrid", quirks={"truncated_labels"})
    text = render_text(r, "tabbed")
    for label in ("2. 其他法律行政", "4. 无正当理由大", "5. 要求行政机关", "1. 本机关不掌握"):
        assert f"\t{label}\t" in text
    assert "\t商业\t科研\t社会\t法律服\t其他\t" in text
    assert "本年度处理决定数量" in text and "本年增收费金额（单位：万元）" in text
    assert "一、本年新收政府信息公开申请数\t" in text
    assert "（六）其他处理" in text and "逾期不补正" not in text


def test_truncation_keeps_the_row_keywords():
    r = _report("gov2021", quirks={"truncated_labels"})
    text = render_text(r, "tabbed")
    assert "1. 申请人无正当理由\t" in text  # cut as soon as the keyword 申请人无正当理由 is whole
    assert "2. 申请人逾期未按\t" in text


def test_omit_trailing_blank_prints_six_numbers_like_seed_004():
    r = _report()
    cells = dict(r.cells)
    cells["s3_granted__total"] = None
    r = dataclasses.replace(r, cells=cells)
    lines = render_text(r, "one_per_line", quirks={"omit_trailing_blank"}).split("\n")
    i = lines.index("\t（一）予以公开")
    row = lines[i + 1 : lines.index("", i)]
    assert [v.strip() for v in row] == [r.printed(f"s3_granted__{c}") for c in COLS[:6]]
    tabbed = render_text(r, "tabbed", quirks={"omit_trailing_blank"})
    assert _line(tabbed, "\t（一）予以公开\t").count("\t") == 8


def test_group_label_late_like_seed_003():
    r = _report()
    text = render_text(r, "tabbed", quirks={"group_label_late"})
    assert "\t\t1.本机关不掌握相关政府信息\t" in text
    assert "\t（四）无法提供\t2.没有现成信息需要另行制作\t" in text


def test_narrative_and_determinism():
    r = _report()
    text = render_text(r, "tabbed")
    assert f"主动公开政府信息{r.narrative.n_active_disclosed_total}条" in text.replace(" ", "")
    assert text == render_text(_report(), "tabbed")
    with pytest.raises(ValueError):
        render_text(r, "columns")
