"""expected_cells: what an honest parser returns, on hand-made cases and on generated blanks."""

import dataclasses
import random

import pytest

from gongkai.samples.expected import expected_cells, expected_meta, imputing_rule
from gongkai.samples.model import template_of
from gongkai.samples.values import generate_report


def _report(template, cells):
    base = generate_report(random.Random(0), template=template)
    full = {k: 0 for k in template_of(template).keys}
    full.update(cells)
    return dataclasses.replace(base, cells=full, units={})


def _seed004(**overrides):
    cells = {
        "s2_license_decisions": 1841,
        "s2_penalty_decisions": 304,
        "s2_fee_amount_wan_yuan": 7.52,
        "s3_new_received__natural_person": 1,
        "s3_new_received__total": 1,
        "s3_granted__natural_person": 1,
        "s3_granted__total": None,
        "s3_results_total__natural_person": 1,
        "s3_results_total__total": 1,
    }
    cells.update(overrides)
    return _report("gov2021", cells)


def test_seed004_missing_total_is_imputed_as_1():
    exp = expected_cells(_seed004())
    assert exp["s3_granted__total"] == (1, "imputed")
    assert imputing_rule(_seed004(), "s3_granted__total") == "T3_ROWSUM__granted"
    assert exp["s2_fee_amount_wan_yuan"] == (7.52, "read")
    assert exp["s2_license_decisions"] == (1841, "read")
    assert sum(s == "read" for _, s in exp.values()) == 199


def test_seed002_blank_review_block_is_missing():
    cells = {f"s4_review_{n}": None for n in ("upheld", "corrected", "other", "pending", "total")}
    cells.update(
        {
            "s3_new_received__natural_person": 46,
            "s3_new_received__commercial_enterprise": 1,
            "s3_new_received__total": 47,
            "s3_granted__natural_person": 23,
            "s3_granted__commercial_enterprise": 1,
            "s3_granted__total": 24,
            "s3_partially_granted__natural_person": 13,
            "s3_partially_granted__total": 13,
            "s3_denied_process_info__natural_person": 1,
            "s3_denied_process_info__total": 1,
            "s3_unavailable_not_held__natural_person": 5,
            "s3_unavailable_not_held__total": 5,
            "s3_unavailable_need_creation__natural_person": 4,
            "s3_unavailable_need_creation__total": 4,
            "s3_results_total__natural_person": 46,
            "s3_results_total__commercial_enterprise": 1,
            "s3_results_total__total": 47,
        }
    )
    report = _report("hybrid", cells)
    exp = expected_cells(report)
    for n in ("upheld", "corrected", "other", "pending", "total"):
        assert exp[f"s4_review_{n}"] == (None, "missing")
    assert len(exp) == 186 and sum(s == "read" for _, s in exp.values()) == 181
    meta = expected_meta(report)
    assert (meta["template"], meta["sec2_variant"], meta["sec3_variant"]) == ("gov2021", "gov2021", "gov2019")


def test_two_blanks_in_a_row_are_each_imputed_by_another_rule():
    exp = expected_cells(_seed004(s3_granted__natural_person=None))
    assert exp["s3_granted__natural_person"] == (1, "imputed")  # from T3_RESULTSUM__natural_person
    assert exp["s3_granted__total"] == (1, "imputed")  # from T3_RESULTSUM__total


def test_rules_that_disagree_leave_the_cell_missing():
    # 总计 column says 2 in （七）总计 while the row itself sums to 1: the blank cannot be trusted
    report = _seed004(
        s3_results_total__total=2, s3_new_received__total=2, s3_new_received__other_org=1, s3_results_total__other_org=1
    )
    assert expected_cells(report)["s3_granted__total"] == (None, "missing")


def test_negative_imputation_is_missing():
    report = _report("gov2021", {"s4_review_upheld": None, "s4_review_corrected": 1, "s4_review_total": 0})
    assert expected_cells(report)["s4_review_upheld"] == (None, "missing")


def test_a_blank_cell_in_no_rule_is_missing():
    report = _seed004(s2_fee_amount_wan_yuan=None, s2_license_decisions=None)
    exp = expected_cells(report)
    assert exp["s2_fee_amount_wan_yuan"] == (None, "missing")
    assert exp["s2_license_decisions"] == (None, "missing")


def test_blank_zero_rows_are_missing_when_no_rule_has_a_single_blank():
    # 上海 2019 style: rows of zeros left blank, 总计 included. With two such rows every rule over
    # them has at least two blanks, so nothing can be imputed.
    cols = (
        "natural_person",
        "commercial_enterprise",
        "research_institution",
        "social_welfare_org",
        "legal_service_org",
        "other_org",
        "total",
    )
    rows = ("denied_state_secret", "denied_law_prohibited")
    cells = {f"s3_{r}__{c}": None for r in rows for c in cols}
    exp = expected_cells(_report("gov2019", cells))
    assert all(exp[k] == (None, "missing") for k in cells)
    # one such row alone: each cell is the single blank of its column's （七）总计 rule → 0
    cells = {f"s3_denied_state_secret__{c}": None for c in cols}
    exp = expected_cells(_report("gov2019", cells))
    assert all(exp[k] == (0, "imputed") for k in cells)


@pytest.mark.parametrize("template", ["gov2021", "gov2019", "hybrid"])
@pytest.mark.parametrize("blanks", [0.05, 0.3])
def test_imputed_values_equal_the_true_values(template, blanks):
    for seed in range(40):
        truth = generate_report(random.Random(seed), template=template).cells
        report = generate_report(random.Random(seed), template=template, blanks=blanks)
        statuses = set()
        for key, (value, status) in expected_cells(report).items():
            statuses.add(status)
            if status == "missing":
                assert value is None and report.cells[key] is None
            else:
                assert value == truth[key], (seed, key)
                assert (report.cells[key] is None) == (status == "imputed")
        assert "read" in statuses


def test_zero_blank_reports_never_fabricate():
    for seed in range(30):
        truth = generate_report(random.Random(seed), size="medium").cells
        report = generate_report(random.Random(seed), size="medium", quirks={"zeros_blank"})
        for key, (value, status) in expected_cells(report).items():
            if status != "missing":
                assert value == truth[key]
