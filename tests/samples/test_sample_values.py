"""The generator: consistent, realistic, deterministic."""

import random
import re
from collections import Counter

import pytest

from gongkai.samples.model import template_of
from gongkai.samples.values import REGIONS, generate_report
from sample_checks import evaluate

TEMPLATES = ("gov2021", "gov2019", "hybrid")
TITLE_RE = re.compile(r"^(?P<org>.+?)\s?(?P<year>20\d{2})\s?年度?政府信息公开工作年度报告$")
YEAR_FIRST_RE = re.compile(r"^(?P<year>20\d{2})年(?P<org>.+?)政府信息公开工作年度报告$")


@pytest.mark.parametrize("template", TEMPLATES)
def test_every_rule_holds_without_blanks(template):
    rules = template_of(template).rules
    assert rules, "the template has rules"
    for seed in range(150):
        report = generate_report(random.Random(seed), template=template)
        results = evaluate(rules, report.cells)
        assert set(results.values()) == {"pass"}, (seed, [k for k, v in results.items() if v != "pass"])
        assert all(v is not None for v in report.cells.values())


@pytest.mark.parametrize("template", TEMPLATES)
def test_cells_are_exactly_the_template_keys(template):
    report = generate_report(random.Random(1), template=template)
    assert list(report.cells) == list(template_of(template).keys)
    if template == "hybrid":
        assert "s3_other_processing__total" in report.cells and "s2_fee_amount_wan_yuan" in report.cells
        assert "s3_other_misc__total" not in report.cells


def test_same_seed_same_report_and_different_seeds_differ():
    a = generate_report(random.Random(42), template="gov2019", blanks=0.1)
    b = generate_report(random.Random(42), template="gov2019", blanks=0.1)
    c = generate_report(random.Random(43), template="gov2019", blanks=0.1)
    assert a == b
    assert a != c


def test_magnitudes_are_realistic():
    reports = [generate_report(random.Random(s)) for s in range(400)]
    new = [r.cells["s3_new_received__total"] for r in reports]
    assert sum(n <= 10 for n in new) / len(new) > 0.4, "most agencies receive a handful of applications"
    assert sum(n == 0 for n in new) / len(new) > 0.15, "many receive none"
    assert max(new) > 500, "a few big ones receive hundreds or thousands"
    zeros = sum(v == 0 for r in reports for k, v in r.cells.items() if k.startswith("s3_"))
    assert zeros / sum(1 for r in reports for k in r.cells if k.startswith("s3_")) > 0.6
    fees = [r.cells["s2_fee_amount_wan_yuan"] for r in reports]
    assert any(isinstance(f, float) and not f.is_integer() for f in fees), "fees in 万元 with decimals"
    assert sum(f == 0 for f in fees) > len(fees) / 2
    natural = sum(r.cells["s3_new_received__natural_person"] for r in reports)
    assert natural > 0.7 * sum(new), "natural persons file most applications"


def test_gov2019_has_signed_changes_and_procurement_units():
    reports = [generate_report(random.Random(s), template="gov2019") for s in range(200)]
    changes = [v for r in reports for k, v in r.cells.items() if k.endswith("_change")]
    assert any(v < 0 for v in changes) and any(v > 0 for v in changes)
    for r in reports:
        for k, v in r.cells.items():
            if k.endswith("_prev_year_items"):
                assert v + r.cells[k.replace("_prev_year_items", "_change")] >= 0
    units = Counter(r.units.get("s2_procurement_amount") for r in reports)
    assert units["元"] and units["万元"]
    r = next(r for r in reports if r.units.get("s2_procurement_amount") == "元")
    assert r.printed("s2_procurement_amount").endswith("元")


def test_blanks_leave_cells_blank_at_about_the_given_rate():
    cells = [v for s in range(50) for v in generate_report(random.Random(s), blanks=0.2).cells.values()]
    rate = sum(v is None for v in cells) / len(cells)
    assert 0.15 < rate < 0.25


def test_quirk_patterns():
    r = generate_report(random.Random(3), quirks={"blank_review_block"})
    assert all(r.cells[f"s4_review_{n}"] is None for n in ("upheld", "corrected", "other", "pending", "total"))
    r = generate_report(random.Random(3), quirks={"zeros_blank"}, size="medium")
    s3 = {k: v for k, v in r.cells.items() if k.startswith("s3_")}
    assert 0 not in s3.values() and None in s3.values()
    r = generate_report(random.Random(3), quirks={"two_line_title"})
    assert len(r.title_lines) == 2 and "".join(r.title_lines) == r.title
    r = generate_report(random.Random(3), quirks={"year_first_title"})
    assert YEAR_FIRST_RE.match(r.title).group("org") == r.org_name
    r = generate_report(random.Random(4), quirks={"body_year_typo"}, size="small")
    assert f"{r.report_year + 1}年" in r.sections.sec1_overview


def test_titles_regions_and_narrative():
    codes = {code for code, *_ in REGIONS}
    for s in range(100):
        r = generate_report(random.Random(s), quirks={"spaced_title"} if s % 3 == 0 else ())
        m = TITLE_RE.match(r.title)
        assert m and m.group("org").strip() == r.org_name and int(m.group("year")) == r.report_year
        assert r.region.adcode in codes and re.fullmatch(r"\d{6}", r.region.adcode)
        assert r.org_name.startswith(r.region.county or r.region.city)
        assert r.org_name.endswith(("局", "委员会", "办公室", "人民政府"))
        overview = r.sections.sec1_overview.replace(" ", "")
        assert f"主动公开政府信息{r.narrative.n_active_disclosed_total}条" in overview
        n = r.narrative.n_applications_narr
        if n == 0:
            assert "未收到政府信息公开申请" in overview
        else:
            assert re.search(rf"收到政府信息公开申请{n}[件份]", overview), overview
        assert n == r.cells["s3_new_received__total"]


def test_rejects_unknown_template():
    with pytest.raises(ValueError):
        generate_report(random.Random(0), template="gov2007")
