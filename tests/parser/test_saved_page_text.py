"""Real reports saved by a crawler as plain text (issue 18): the seven 三明市 reports of
../shared/corpus/real/sanming_<year>.txt (CRLF, one token per line, a 标题：/来源：/原始链接： header, the
six parts enumerated in the opening paragraph, 2021 printing 162 as "1" then "62"). Read from
../shared, never copied. The expected values below were read off the files by hand.
"""

import pytest

from pipeline.api import parse_bytes, parse_path
from pipeline.record import FAIL, READ

YEARS = range(2019, 2026)
S4 = (
    "review_upheld",
    "review_corrected",
    "review_other",
    "review_pending",
    "review_total",
    "lit_direct_upheld",
    "lit_direct_corrected",
    "lit_direct_other",
    "lit_direct_pending",
    "lit_direct_total",
    "lit_after_review_upheld",
    "lit_after_review_corrected",
    "lit_after_review_other",
    "lit_after_review_pending",
    "lit_after_review_total",
)
COLS = (
    "natural_person",
    "commercial_enterprise",
    "research_institution",
    "social_welfare_org",
    "legal_service_org",
    "other_org",
    "total",
)

# year → {s3 row: its 7 cells}, {s2 key: value}, the 15 cells of 四
HAND = {
    2019: (
        {
            "new_received": (102, 4, 0, 1, 2, 1, 110),
            "carried_over": (0, 0, 0, 0, 0, 1, 1),
            "granted": (71, 3, 0, 1, 0, 2, 77),
            "unavailable_not_held": (9, 1, 0, 0, 1, 0, 11),
            "other_processing": (1, 0, 0, 0, 0, 0, 1),
            "results_total": (100, 4, 0, 1, 2, 2, 109),
            "carried_forward": (2, 0, 0, 0, 0, 0, 2),
        },
        {
            "s2_normative_doc_total_published": 2124,
            "s2_license_decisions": 92210,
            "s2_other_mgmt_service_decisions": 19097,
            "s2_fee_prev_year_items": 118,
            "s2_procurement_items": 7652,
            "s2_procurement_amount": 481714587.29,
        },
        (0,) * 15,
    ),
    2020: (
        {
            "new_received": (102, 1, 0, 0, 3, 0, 106),
            "carried_over": (2, 0, 0, 0, 0, 0, 2),
            "unavailable_not_held": (24, 0, 0, 0, 0, 0, 24),
            "results_total": (104, 1, 0, 0, 3, 0, 108),
        },
        {
            "s2_regulation_total_published": 12,
            "s2_license_change": 481,
            "s2_license_decisions": 259610,
            "s2_penalty_change": 10053,
            "s2_procurement_amount": 453754632.81,
        },
        (0, 1, 0, 0, 1) + (0,) * 10,
    ),
    2021: (
        {
            "new_received": (160, 0, 0, 2, 0, 0, 162),
            "granted": (98, 0, 0, 1, 0, 0, 99),
            "unavailable_not_held": (27, 0, 0, 1, 0, 0, 28),
            "other_misc": (2, 0, 0, 0, 0, 0, 2),
            "results_total": (160, 0, 0, 2, 0, 0, 162),
            "carried_forward": (0,) * 7,
        },
        {
            "s2_regulation_in_force": 7,
            "s2_normative_doc_issued": 507,
            "s2_normative_doc_repealed": 149,
            "s2_normative_doc_in_force": 3258,
            "s2_license_decisions": 554782,
            "s2_penalty_decisions": 244523,
            "s2_coercion_decisions": 12061,
            "s2_fee_amount_wan_yuan": 41994,
        },
        (0,) * 15,
    ),
    2022: (
        {
            "new_received": (337, 5, 0, 1, 0, 4, 347),
            "granted": (235, 3, 0, 1, 0, 4, 243),
            "carried_forward": (1, 0, 0, 0, 0, 0, 1),
        },
        {
            "s2_normative_doc_in_force": 2545,
            "s2_license_decisions": 422144,
            "s2_penalty_decisions": 173325,
            "s2_coercion_decisions": 12248,
        },
        (3, 0, 0, 1, 4) + (0,) * 10,
    ),
    2023: (
        {
            "new_received": (269, 3, 2, 1, 0, 27, 302),
            "granted": (130, 2, 0, 0, 0, 27, 159),
            "results_total": (270, 3, 2, 1, 0, 27, 303),
        },
        {"s2_normative_doc_repealed": 1672, "s2_penalty_decisions": 294273, "s2_fee_amount_wan_yuan": 18342.8022},
        (1, 0, 1, 4, 6, 5, 0, 0, 2, 7, 1, 0, 0, 0, 1),
    ),
    2024: (
        {
            "new_received": (300, 53, 0, 0, 0, 4, 357),
            "unavailable_not_held": (60, 0, 0, 0, 0, 1, 61),
            "results_total": (289, 53, 0, 0, 0, 4, 346),
            "carried_forward": (11, 0, 0, 0, 0, 0, 11),
        },
        {"s2_normative_doc_in_force": 3097, "s2_penalty_decisions": 456773, "s2_fee_amount_wan_yuan": 14515.939627},
        (3, 0, 0, 1, 4, 2, 0, 0, 0, 2, 1, 0, 1, 0, 2),
    ),
    2025: (
        {
            "new_received": (390, 4, 0, 0, 1, 5, 400),
            "carried_over": (11, 0, 0, 0, 0, 0, 11),
            "other_misc": (7, 1, 0, 0, 0, 0, 8),
            "results_total": (392, 4, 0, 0, 1, 5, 402),
        },
        {"s2_regulation_issued": 2, "s2_penalty_decisions": 128480, "s2_coercion_decisions": 20092},
        (11, 5, 2, 2, 20, 2, 0, 0, 0, 2, 7, 0, 0, 2, 9),
    ),
}


def _path(corpus, year):
    path = corpus / "real" / f"sanming_{year}.txt"
    if not path.exists():
        pytest.skip(f"{path.name} not in this corpus")
    return path


@pytest.mark.parametrize("year", YEARS)
def test_title_agency_and_url_come_from_the_saved_page_header(corpus, year):
    rep = parse_path(_path(corpus, year)).report
    assert rep.title == f"三明市{year}年政府信息公开工作年度报告"
    assert (rep.org_name, rep.report_year, rep.template) == ("三明市", year, "gov2019" if year < 2021 else "gov2021")
    assert rep.document_url.startswith("https://www.sm.gov.cn/") and rep.document_url.endswith(".htm")
    assert rep.meta_from == {
        "title": "header:标题",
        "org_name": "header:标题",
        "report_year": "title",
        "document_url": "header:原始链接",
    }
    assert rep.page_header["标题"] == rep.title


@pytest.mark.parametrize("year", YEARS)
def test_every_cell_is_read_as_printed(corpus, year):
    rec = parse_path(_path(corpus, year))
    assert all(c.status == READ for c in rec.cells.values()), [k for k, c in rec.cells.items() if c.status != READ]
    rows, s2, s4 = HAND[year]
    got = {row: tuple(rec.cells[f"s3_{row}__{c}"].value for c in COLS) for row in rows}
    assert got == rows
    assert {k: rec.cells[k].value for k in s2} == s2
    assert tuple(rec.cells[f"s4_{k}"].value for k in S4) == s4
    # the tables are consistent: every rule holds
    assert not [c for c in rec.checks if c.severity == "error" and c.result != "pass"]


def test_2021_numbers_broken_across_lines_are_joined_by_the_sums(corpus):
    rec = parse_path(_path(corpus, 2021))
    assert rec.cells["s3_new_received__total"].raw == "1\n62"
    assert rec.cells["s3_results_total__natural_person"].raw == "1\n60"
    assert rec.cells["s3_unavailable_not_held__natural_person"].raw == "2\n7"
    assert sum("read as" in w for w in rec.warnings) == 4


@pytest.mark.parametrize(
    "pieces,settled",
    [
        (("1", "6", "0", "0", "0", "2", "0", "0", "1", "62"), True),  # 1⏎6⏎0: only 160 fits the sums
        (("1", "6", "0", "0", "0", "2", "0", "0", "1", "6", "2"), False),  # four breaks: not guessed at
    ],
)
def test_numbers_broken_further_are_joined_only_when_the_sums_settle_them(corpus, pieces, settled):
    text = _path(corpus, 2021).read_bytes().decode("utf-8")
    printed = "（七）总计\r\n1\r\n60\r\n0\r\n0\r\n2\r\n0\r\n0\r\n1\r\n62\r\n"
    assert printed in text
    broken = text.replace(printed, "（七）总计\r\n" + "".join(p + "\r\n" for p in pieces))
    rec = parse_bytes(broken.encode("utf-8"), "report.txt")
    row = [rec.cells[f"s3_results_total__{c}"] for c in COLS]
    if settled:
        assert [c.value for c in row] == [160, 0, 0, 2, 0, 0, 162]
    else:
        assert all(c.status != READ for c in row)  # missing (or imputed from the rules), never a guess


@pytest.mark.parametrize(
    "pieces,settled",
    [
        (("270", "3", "2", "1", "0", "27", "3", "0", "3"), True),  # 303 in three pieces, a 0 in the middle
        (("2", "7", "0", "3", "2", "1", "0", "27", "3", "0", "3"), False),  # 270 too: 4 joins, not guessed at
    ],
)
def test_a_number_in_three_pieces_is_joined_when_the_sums_settle_it(corpus, pieces, settled):
    text = _path(corpus, 2023).read_bytes().decode("utf-8")
    printed = "（七）总计\r\n270\r\n3\r\n2\r\n1\r\n0\r\n27\r\n303\r\n"
    assert printed in text
    broken = text.replace(printed, "（七）总计\r\n" + "".join(p + "\r\n" for p in pieces))
    row = [parse_bytes(broken.encode("utf-8"), "report.txt").cells[f"s3_results_total__{c}"] for c in COLS]
    if settled:
        assert [c.value for c in row] == [270, 3, 2, 1, 0, 27, 303] and row[-1].raw == "3\n0\n3"
    else:
        assert all(c.status != READ for c in row)


@pytest.mark.parametrize(
    "year,key,value,words",
    [
        (2019, "n_policy_interpretations", 445, "发布政策解读稿件445篇"),
        (2021, "n_license_items_narr", 554782, "分别为554782项、244523项"),
        (2021, "n_penalty_items_narr", 244523, "分别为554782项、244523项"),
        (2022, "fee_info_processing_yuan", 0, "未收取信息处理费"),
        (2023, "fee_info_processing_yuan", 0, "未收取信息处理费"),
        (2023, "n_litigation_cases_narr", 7, "行政诉讼7件"),
        (2024, "n_policy_interpretations", 319, "同步配套解读文件319份"),
        (2024, "n_review_cases_narr", 4, "发生行政复议4件"),
        (2025, "n_review_cases_narr", 20, "涉及行政复议20件"),
        (2025, "n_litigation_cases_narr", 11, "行政诉讼11件"),
        (2025, "fee_info_processing_yuan", 0, "无收取信息处理费"),
    ],
)
def test_narrative_statements_carry_their_sentence(corpus, year, key, value, words):
    fig = parse_path(_path(corpus, year)).narrative[key]
    assert fig.value == value and words in fig.sentence


def test_the_stated_licence_and_penalty_counts_match_the_table(corpus):
    checks = {c.rule: c.result for c in parse_path(_path(corpus, 2021)).checks}
    assert checks["NARR_LICENSE"] == checks["NARR_PENALTY"] == "pass"
    assert FAIL not in checks.values()


S4_2025 = (11, 5, 2, 2, 20, 2, 0, 0, 0, 2, 7, 0, 0, 2, 9)


@pytest.mark.parametrize(
    "pieces,settled",
    [
        (("11", "5", "2", "2", "2", "0"), True),  # 20 broken: only 20 makes 总计 = 维持+纠正+其他+尚未审结
        (("1", "1", "5", "2", "2", "20"), False),  # 11 broken: 1, 15, 2, 2, 20 sums as well
        (("1", "1", "5", "2", "2", "2", "0"), False),  # both: 11|5|..|20 and 1|15|..|20 both sum
    ],
)
def test_table_four_joins_a_broken_number_only_when_its_sums_settle_it(corpus, pieces, settled):
    text = _path(corpus, 2025).read_bytes().decode("utf-8")
    printed = "总计\r\n11\r\n5\r\n2\r\n2\r\n20\r\n2\r\n"
    assert printed in text
    broken = text.replace(printed, "总计\r\n" + "".join(p + "\r\n" for p in pieces) + "2\r\n")
    rec = parse_bytes(broken.encode("utf-8"), "report.txt")
    row = [rec.cells[f"s4_{k}"] for k in S4]
    if settled:
        assert [c.value for c in row] == list(S4_2025) and all(c.status == READ for c in row)
        assert any("read as 20 (s4_review_total)" in w for w in rec.warnings)
    else:
        assert all(c.status != READ for c in row)
        assert any(f"s4 prints {15 + len(pieces) - 5} cells" in w for w in rec.warnings)


@pytest.mark.parametrize(
    "row,pieces,want",
    [
        # 149 broken: 50714|9|3258, 507|149|3258 and 507|14|93258 all fit three columns: not read
        (
            "行政规范性文件\r\n507\r\n149\r\n3258",
            "行政规范性文件\r\n507\r\n14\r\n9\r\n3258",
            {"s2_normative_doc_issued": None, "s2_normative_doc_repealed": None, "s2_normative_doc_in_force": None},
        ),
        # 15 broken next to a blank mark: the mark is a cell, so 1⏎5 is the one reading of three columns
        (
            "规章\r\n1\r\n0\r\n7",
            "规章\r\n1\r\n5\r\n-\r\n7",
            {"s2_regulation_issued": 15, "s2_regulation_repealed": None, "s2_regulation_in_force": 7},
        ),
    ],
)
def test_table_two_joins_a_broken_number_only_when_the_column_count_settles_it(corpus, row, pieces, want):
    """Table 二 has no sums: only the column count can settle a break (one reading of the row)."""
    text = _path(corpus, 2021).read_bytes().decode("utf-8")
    assert row + "\r\n" in text
    rec = parse_bytes(text.replace(row + "\r\n", pieces + "\r\n").encode("utf-8"), "report.txt")
    assert {k: rec.cells[k].value for k in want} == want
    assert all((rec.cells[k].status == READ) == (v is not None) for k, v in want.items())


def test_a_sub_heading_line_ends_the_sentence_before_it(corpus):
    """2025 prints "（二）依申请公开情况" on its own line above the application sentence: the heading
    is not part of the figure's sentence (line ends are removed before sentences are cut)."""
    fig = parse_path(_path(corpus, 2025)).narrative["n_applications_narr"]
    assert fig.value == 400
    assert fig.sentence.startswith("2025年全市新受理依申请公开400件") and fig.sentence.endswith("164件。")


@pytest.mark.parametrize(
    "text,sentence",
    [
        (
            "（二）依申请公开情况\n本年共受理政府信息公开申请12件，办结12件。",
            "本年共受理政府信息公开申请12件,办结12件。",
        ),
        ("二、\n收到和处理政府信息公开申请情况\n本年共受理政府信息公开申请12件。", "本年共受理政府信息公开申请12件。"),
        # a line that only starts like a heading but is a sentence wrapped over lines stays joined
        (
            "（二）依申请公开方面，本年共受理政府信息\n公开申请12件。",
            "(二)依申请公开方面,本年共受理政府信息公开申请12件。",
        ),
    ],
)
def test_heading_lines_end_sentences_in_narrative_text(text, sentence):
    from pipeline.interpret import narrative

    assert narrative.extract(text)["n_applications_narr"].sentence == sentence
