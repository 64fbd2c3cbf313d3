"""The Done-when of issue 11: the report of the known warehouse, rendered in headless Chromium.

Expected answers come from the hand-written run (tests/warehouse/wh_records.py), stated here by hand
or read from the records that were loaded (a locator), never from the report itself.
"""

import pytest

from tests.report.conftest import ARTIFACTS, open_report, report_id
from tests.warehouse import wh_records as records

pytestmark = pytest.mark.slow  # a browser

BASE = "http://127.0.0.1:8001"


def bars(page, chart):
    return page.eval_on_selector_all(f"#{chart} .bar", "els => els.map(e => [e.dataset.label, e.dataset.value])")


def record_of(name):
    rec = next(r["record"] for r in records.run()["results"] if r["sha256"] == records.sha(name))
    return rec


def pdf_locator(name, key):
    loc = record_of(name)["cells"][key]["locator"]
    return f"p.{loc['page']} bbox " + ",".join(f"{x:g}" for x in loc["bbox"])


def cell(page, key):
    td = page.locator(f'#detail td[data-key="{key}"]')
    return {
        "value": td.locator(".v").inner_text(),
        "status": td.get_attribute("data-status"),
        "class": td.get_attribute("class").split(),
        "title": td.get_attribute("title"),
        "locator": td.locator(".loc").text_content(),
    }


def test_charts_are_present_and_correct(page, known_report):
    open_report(page, known_report)
    assert bars(page, "chart-province") == [
        ["福建省", "3"],
        ["江苏省", "2"],
        ["浙江省", "2"],
        ["河南省", "1"],
        ["黑龙江省", "1"],
    ]
    widths = page.eval_on_selector_all("#chart-province .bar rect", "els => els.map(e => e.getBBox().width)")
    assert widths[0] > widths[1] == widths[2] > widths[3] == widths[4] > 0
    assert bars(page, "chart-level") == [["province", "0"], ["prefecture", "1"], ["county", "8"]]
    assert bars(page, "chart-year") == [["2019", "1"], ["2021", "2"], ["2022", "4"], ["2023", "1"], ["2024", "1"]]
    assert bars(page, "chart-outcomes") == [
        ["ok", "25"],
        ["not_modified", "0"],
        ["blocked", "1"],
        ["gone", "1"],
        ["error", "0"],
        ["skipped", "0"],
    ]
    assert bars(page, "chart-parse") == [["ok", "10"], ["failed", "2"], ["not_parsed", "1"]]
    assert bars(page, "chart-errors") == [["encrypted", "1"], ["invalid_record", "1"]]
    assert bars(page, "chart-rules") == [
        ["T4_SUM__review", "1"],
        ["XYEAR_CARRY__natural_person (cross-year)", "1"],
        ["XYEAR_CARRY__total (cross-year)", "1"],
        ["XYEAR_IN_FORCE__normative_doc (cross-year)", "1"],
    ]
    # new applications of the 9 primary reports: 0 (宁安), 10, 20, 12, 30, 45, 80, 95, 47
    assert bars(page, "chart-received") == [
        ["0", "1"],
        ["1–9", "0"],
        ["10–99", "8"],
        ["100–999", "0"],
        ["1,000–9,999", "0"],
        ["≥ 10,000", "0"],
    ]
    # shares: .526 .511 | .625 .667 .690 | .714 .727 .791; 宁安 handled none: no share, not 0 %
    share = dict(bars(page, "chart-share"))
    assert len(share) == 10 and share.pop("50–60%") == "2" and share.pop("60–70%") == "3"
    assert share.pop("70–80%") == "3" and set(share.values()) == {"0"}
    stats = page.locator("#chart-share-stats").inner_text()
    assert "reports with a value\t8" in stats and "reports without a value\t1" in stats
    # per-source fetches: 洪泽's blocked column, 平潭's gone one, drawn as parts of the stacked bar
    hongze = page.locator("#fetch-table tbody tr", has_text="hongze")
    assert hongze.locator("rect[data-outcome=blocked]").get_attribute("data-n") == "1"
    assert (
        page.locator("#fetch-table tbody tr", has_text="pingtan")
        .locator("rect[data-outcome=gone]")
        .get_attribute("data-n")
        == "1"
    )
    assert page.locator("#reason-table", has_text="robots.txt disallows").count() == 1
    assert page.locator("#failure-table tbody tr").count() == 2
    assert page.locator("#failure-table", has_text="PDF is encrypted").count() == 1
    heat = page.locator("#heat tbody tr", has_text="福建省").locator("td").all_inner_texts()
    assert heat == ["1", "1", "1", "0", "0"]  # 2019, 2021, 2022 — and none in 2023, 2024
    assert page.locator("#report-list tbody tr").count() == 10
    page.screenshot(path=str(ARTIFACTS / "quality-report.png"), full_page=True)
    assert page.requests == [known_report.resolve().as_uri()]  # nothing fetched at view time
    assert page.errors == [] and page.dialogs == []


def test_drilldown_of_a_contradicting_report(page, known_report):
    open_report(page, known_report)
    page.fill("#filter", "洪泽 2023")
    assert page.locator("#report-list tbody tr").count() == 1
    page.locator("#report-list tbody tr a").click()
    page.wait_for_selector("#detail:not([hidden]) #table-s3")
    assert page.locator("#detail").get_attribute("data-report-id") == report_id("H23")
    assert page.locator("#detail-title").inner_text() == "淮安市洪泽区人民政府 · 2023"
    # the section 三 table: 25 rows × 7 columns, labels from cells_rules.json
    assert page.locator("#table-s3 tr[data-row]").count() == 25
    assert page.locator("#table-s3 td.cell").count() == 175
    assert page.locator("#table-s3 tr[data-row='0'] th").inner_text() == "一、本年新收政府信息公开申请数量"
    header = page.locator("#table-s3 tr").first.locator("th").all_inner_texts()[1:]
    assert header == ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"]
    received = cell(page, "s3_new_received__total")
    assert received["value"] == "80" and received["status"] == "read"
    assert received["locator"] == pdf_locator("H23", "s3_new_received__total")
    assert received["locator"] in received["title"]
    # section 二: four sub-tables; section 四: 15 cells, the review group contradicts itself
    assert page.locator("#detail table.s2").count() == 4
    assert cell(page, "s2_fee_amount_wan_yuan")["value"] == "7545"
    assert page.locator("#table-s4 td.cell").count() == 15
    review = {k: cell(page, f"s4_review_{k}") for k in ("upheld", "corrected", "other", "pending", "total")}
    assert [review[k]["value"] for k in review] == ["10", "1", "0", "0", "0"]  # as printed, not corrected
    assert all("fail" in c["class"] for c in review.values())
    assert "fail" not in cell(page, "s4_lit_direct_upheld")["class"]
    assert "fail" not in cell(page, "s3_new_received__total")["class"]
    assert page.locator("#detail td.fail").count() == 5
    rule = page.locator("#failed-rules .rule[data-rule=T4_SUM__review]")
    assert rule.count() == 1
    rule.click()
    assert page.locator("#detail td.focus").count() == 5
    assert "s4_review_total == s4_review_upheld" in page.locator("#cell-info").inner_text()
    # links to the article page and the document
    assert page.locator("#link-page a").get_attribute("href") == f"{BASE}/hongze/art/h23.html"
    assert page.locator("#link-doc a").get_attribute("href") == f"{BASE}/hongze/files/h23.pdf"
    # locators on demand, and a cell's details on click
    assert not page.locator('#detail td[data-key="s3_new_received__total"] .loc').is_visible()
    page.check("#show-loc")
    assert page.locator('#detail td[data-key="s3_new_received__total"] .loc').is_visible()
    page.locator('#detail td[data-key="s4_review_upheld"]').click()
    info = page.locator("#cell-info").inner_text()
    assert "s4_review_upheld" in info and pdf_locator("H23", "s4_review_upheld") in info and "T4_SUM__review" in info
    page.locator("#detail").screenshot(path=str(ARTIFACTS / "quality-report-drilldown.png"))
    assert page.errors == [] and page.dialogs == []


def test_drilldown_statuses_layouts_and_deep_links(page, known_report):
    # an HTML report with an imputed cell, opened from a link
    open_report(page, known_report, "#report=" + report_id("Z22"))
    page.wait_for_selector("#detail:not([hidden]) #table-s3")
    granted = cell(page, "s3_granted__total")
    assert granted["status"] == "imputed" and granted["value"] == "15" and "st-i" in granted["class"]
    assert "imputed by T3_ROWSUM__granted" in granted["title"]
    assert cell(page, "s3_new_received__total")["locator"] == "table 1 row 2 col 2"
    assert page.locator("#link-page a").get_attribute("href") == page.locator("#link-doc a").get_attribute("href")
    # its DOCX copy: a blank row stays blank (missing), never 0
    page.evaluate(f"location.hash = 'report={report_id('Z22D')}'")
    page.wait_for_selector(f"#detail[data-report-id='{report_id('Z22D')}']")
    blank = cell(page, "s3_denied_third_party_rights__natural_person")
    assert blank["status"] == "missing" and blank["value"] == "" and "st-m" in blank["class"]
    assert page.locator("#detail td[data-status=missing]").count() == 7
    assert "not primary" in page.locator("#detail dl").inner_text()
    # a 2019 report: the gov2019 layout (23 rows, five section 二 sub-tables)
    page.evaluate(f"location.hash = 'report={report_id('P19')}'")
    page.wait_for_selector(f"#detail[data-report-id='{report_id('P19')}']")
    assert page.locator("#table-s3 tr[data-row]").count() == 23
    assert page.locator("#table-s3 td.cell").count() == 161
    assert page.locator("#detail table.s2").count() == 5
    assert cell(page, "s2_procurement_amount")["value"] == "75394432.52"
    # cross-year failures: the carried-over cell is marked and the previous year is one click away
    page.evaluate(f"location.hash = 'report={report_id('P22')}'")
    page.wait_for_selector(f"#detail[data-report-id='{report_id('P22')}']")
    assert "xfail" in cell(page, "s3_carried_over__natural_person")["class"]
    assert "xfail" not in cell(page, "s3_carried_over__commercial_enterprise")["class"]
    assert cell(page, "s2_fee_amount_wan_yuan")["status"] == "missing"
    page.locator("#failed-rules a", has_text="2021").first.click()
    page.wait_for_selector(f"#detail[data-report-id='{report_id('P21')}']")
    assert page.errors == [] and page.dialogs == []


def test_list_filters(page, known_report):
    open_report(page, known_report)
    page.fill("#filter", "平潭")
    assert page.locator("#report-list tbody tr").count() == 3
    page.fill("#filter", "")
    page.check("#only-failed")
    got = sorted(page.locator("#report-list tbody tr").evaluate_all("rs => rs.map(r => r.dataset.reportId)"))
    assert got == sorted([report_id("H23"), report_id("P22")])
    page.uncheck("#only-failed")
    page.check("#only-primary")
    assert page.locator("#report-list tbody tr").count() == 9  # the DOCX copy of 镇海 2022 is not primary
    assert "9 shown of 9 matching (10 reports)" in page.locator("#list-count").inner_text()
    page.fill("#filter", "洪泽 2024")
    assert page.locator("#report-list tbody tr td").nth(3).inner_text() == "gov2021 (三 gov2019)"  # a hybrid
    page.fill("#filter", report_id("P19")[:10])  # a report id by its first characters
    assert page.locator("#report-list tbody tr").evaluate_all("rs => rs.map(r => r.dataset.reportId)") == [
        report_id("P19")
    ]
