"""The report of 2,000 reports: its size, and that the page still decodes, lists and opens them."""

import pytest

from gongkai.quality_report import write_report
from tests.report import bench_size
from tests.report.conftest import ARTIFACTS, open_report, report_id

N_REPORTS = 2000
MAX_BYTES = 6_000_000  # measured 3.8 MB with table-like bboxes (5.6 MB if no two bboxes share a coordinate)


@pytest.mark.slow
def test_two_thousand_reports_stay_small_and_usable(tmp_path, page):
    db, out = tmp_path / "wh.duckdb", tmp_path / "report.html"
    bench_size.build(db, N_REPORTS)
    summary = write_report(db, out)
    assert summary.reports == N_REPORTS
    assert summary.bytes == out.stat().st_size < MAX_BYTES
    assert summary.payload_bytes > 3 * summary.bytes  # the drill-down data is compressed
    (ARTIFACTS / "scale.txt").write_text(summary.line() + "\n", encoding="utf-8")
    open_report(page, out)
    assert page.locator("#report-list tbody tr").count() == 300  # drawn a page at a time
    assert page.locator("#list-count").inner_text() == "300 shown of 2000 matching (2000 reports)"
    page.click("#more")
    assert page.locator("#report-list tbody tr").count() == 600
    page.fill("#filter", "淮安市洪泽区人民政府 2023")
    assert page.locator("#report-list tbody tr").count() == 200  # one per copy of the known run
    one = report_id("B00042H23")  # copy 42 of 洪泽 2023, found by its id
    page.fill("#filter", one[:16])
    assert page.locator("#report-list tbody tr").count() == 1
    failed_in_list = int(page.locator("#report-list tbody tr td").nth(7).inner_text())
    page.locator("#report-list tbody tr a").first.click()
    page.wait_for_selector(f"#detail[data-report-id='{one}'] #table-s3 td.cell")
    assert page.locator("#detail-title").inner_text() == "淮安市洪泽区人民政府 · 2023"
    # random values break rules: the list's count and the detail's rule list agree
    assert page.locator("#failed-rules .rule:not(.xrule)").count() == failed_in_list > 0
    assert page.locator("#detail td.fail").count() > 0
    assert page.locator("#table-s3 td.cell").count() == 175
    assert page.errors == [] and page.dialogs == []
