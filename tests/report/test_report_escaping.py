"""Strings come from the web: markup in any of them is shown as text and never runs or loads.

The same run also holds reports the template tables cannot show whole: a free-form report without
cells and a report with a cell key outside its template.
"""

import copy

import pytest

from gongkai.quality_report import write_report
from tests.report.conftest import open_report, report_id
from tests.warehouse import wh_records as records
from warehouse.loader import load_run

ORG = '<img src=x onerror="alert(1)">镇海区卫健局'
TITLE = '"><script>alert(2)</script>年度报告'
DOC_URL = "javascript:alert(3)"
PAGE_URL = "data:text/html,<script>alert(4)</script>"
REASON = "</script><script>alert(5)</script>"
ERROR = "<svg onload=alert(6)>"
RAW = "<b onclick=alert(7)>18</b>"
SOURCE_NAME = "<style>body{display:none}</style>源 & 站"


@pytest.fixture(scope="module")
def hostile_report(tmp_path_factory):
    run = copy.deepcopy(records.run(run_id="run-hostile"))
    run["sources"] = [dict(s, name=SOURCE_NAME) if s["id"] == "zhenhai" else s for s in run["sources"]]
    z21 = records.sha("Z21")
    for result in run["results"]:
        if result["sha256"] == z21:
            rec = result["record"]
            rec["report"]["org_name"], rec["report"]["title"] = ORG, TITLE
            rec["cells"]["s3_new_received__natural_person"]["raw"] = RAW
            rec["warnings"] = ["<i>" + TITLE + "</i>"]
        if result["status"] == "failed":
            result["error"] = ERROR
        if result["sha256"] == records.sha("NA22"):  # a free-form report: no template, no cells
            rec = result["record"]
            rec["report"].update(template=None, sec2_variant=None, sec3_variant=None)
            rec["cells"], rec["checks"] = {}, []
        if result["sha256"] == records.sha("Z22"):  # a derived subtotal some reports print
            result["record"]["cells"]["s3_legal_person_subtotal__granted"] = {
                "value": 3,
                "status": "read",
                "raw": "3",
                "locator": {"table": 1, "row": 4, "col": 7},
            }
    for doc in run["documents"]:
        if doc["sha256"] == z21:
            doc["document_url"], doc["page_url"] = DOC_URL, PAGE_URL
    for fetch in run["fetches"]:
        if fetch["outcome"] == "blocked":
            fetch["reason"] = REASON
    tmp = tmp_path_factory.mktemp("hostile")
    load_run(tmp / "wh.duckdb", **run)
    out = tmp / "report.html"
    write_report(tmp / "wh.duckdb", out)
    return out


def test_markup_is_escaped_in_the_file(hostile_report):
    html = hostile_report.read_text(encoding="utf-8")
    for raw in (REASON, ERROR, SOURCE_NAME, "<img src=x", "<script>alert", "<svg onload"):
        assert raw not in html
    assert "&lt;/script&gt;&lt;script&gt;alert(5)&lt;/script&gt;" in html  # the fetch reason, as text
    assert "&lt;svg onload=alert(6)&gt;" in html  # the parse error, as text
    assert "&lt;style&gt;body{display:none}&lt;/style&gt;源 &amp; 站" in html
    assert html.count("<script") == 2  # the payload and the inline script, nothing else
    assert "<link" not in html and " src=" not in html  # nothing to load


def test_markup_is_text_in_the_browser(page, hostile_report):
    open_report(page, hostile_report, "#report=" + report_id("Z21"))
    page.wait_for_selector("#detail:not([hidden]) #table-s3")
    assert page.dialogs == [] and page.errors == []
    assert page.locator("img").count() == 0 and page.locator("#detail b, #detail i").count() == 0
    assert page.locator("#detail-title").inner_text() == f"{ORG} · 2021"
    assert page.locator("#report-list tbody tr a", has_text=ORG).count() == 1
    assert TITLE in page.locator("#detail dl").inner_text()
    # javascript: and data: URLs are shown, never linked
    assert page.locator("#link-doc a").count() == 0 and page.locator("#link-doc").inner_text() == DOC_URL
    assert page.locator("#link-page a").count() == 0 and page.locator("#link-page").inner_text() == PAGE_URL
    td = page.locator('#detail td[data-key="s3_new_received__natural_person"]')
    assert f'raw: "{RAW}"' in td.get_attribute("title")
    page.locator("#fetch-table").scroll_into_view_if_needed()
    assert page.locator("#reason-table", has_text=REASON).count() == 1
    assert page.locator("body").is_visible()  # the <style> in a source name did not hide the page
    assert page.requests == [hostile_report.resolve().as_uri()]


def test_reports_outside_the_template_tables(page, hostile_report):
    open_report(page, hostile_report, "#report=" + report_id("NA22"))
    page.wait_for_selector(f"#detail[data-report-id='{report_id('NA22')}']")
    assert page.locator("#table-s3").count() == 0
    assert "No template table" in page.locator("#detail").inner_text()
    assert "主动公开政府信息122条" in page.locator("#detail table.narr").inner_text()
    page.evaluate(f"location.hash = 'report={report_id('Z22')}'")
    page.wait_for_selector(f"#detail[data-report-id='{report_id('Z22')}'] #table-s3")
    extra = page.locator("#detail table.extra tr", has_text="s3_legal_person_subtotal__granted")
    assert extra.locator("td").all_inner_texts() == [
        "s3_legal_person_subtotal__granted",
        "3",
        "read",
        "3",
        "table 1 row 4 col 7",
        "",
    ]
    assert page.locator("#table-s3 td.cell").count() == 175  # the template's cells, unchanged
    page.evaluate("location.hash = 'report=no-such-report'")
    page.wait_for_selector("#detail p.err")
    assert page.locator("#detail").inner_text() == "no report with id no-such-report"
    assert page.errors == [] and page.dialogs == []
