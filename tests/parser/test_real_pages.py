"""Real report pages of ../shared/corpus/real parse honestly (read from ../shared, never copied)."""

import subprocess

import pytest

from pipeline.api import parse_path
from pipeline.record import ParseError
from tests.conftest import gongkai_exe

TEMPLATE_PAGES = {  # file → (year, template)
    "pingtan_80576.html": (2019, "gov2019"),
    "pingtan_80629.html": (2022, "gov2021"),
    "pingtan_87885.html": (2023, "gov2021"),
    "pingtan_97791.html": (2024, "gov2021"),
    "pingtan_105587.html": (2025, "gov2021"),
}


@pytest.mark.parametrize("name", sorted(TEMPLATE_PAGES))
def test_pingtan_template_reports_pass_every_rule(corpus, name):
    path = corpus / "real" / name
    if not path.exists():
        pytest.skip(f"{name} not in this corpus")
    rec = parse_path(path)
    year, template = TEMPLATE_PAGES[name]
    assert (rec.report.report_year, rec.report.template) == (year, template)
    assert "平潭综合实验区" in rec.report.org_name
    table_rules = [c for c in rec.checks if c.severity == "error"]
    assert table_rules and all(c.result == "pass" for c in table_rules), [c for c in table_rules if c.result != "pass"]
    assert all(c.status == "read" for c in rec.cells.values())
    assert rec.narrative["n_active_disclosed_total"].value > 0
    # every value points back to its table cell
    cell = rec.cells["s3_new_received__total"]
    assert set(cell.locator) == {"table", "row", "col"}


@pytest.mark.parametrize(
    "name,year,stated,table",
    [
        ("pingtan_80529.html", 2018, 2069, 2069),  # 2018年全区主动公开政府信息2069条; 统计表 主动公开文件数 2069
        ("pingtan_80759.html", 2013, 4970, 72804),  # the 2013 text and its statistics table disagree
    ],
)
def test_pre2019_pages_are_free_form_with_their_stated_totals(corpus, name, year, stated, table):
    path = corpus / "real" / name
    if not path.exists():
        pytest.skip(f"{name} not in this corpus")
    rec = parse_path(path)
    assert rec.report.template == "pre2019" and rec.report.report_year == year
    assert rec.cells == {}
    assert rec.narrative["n_active_disclosed_total"].value == stated
    assert rec.narrative["pre2019_active_disclosed_total"].value == table
    assert rec.narrative["n_applications_narr"].value == 0  # 未收到…政府信息公开的申请
    assert rec.narrative["pre2019_replies_total"].value == 0
    assert ("both kept as printed" in " ".join(rec.warnings)) == (stated != table)


def test_shanghai_2019_blank_cells_stay_missing(corpus):
    path = corpus / "real" / "shanghai_gov_office_2019.html"
    if not path.exists():
        pytest.skip("not in this corpus")
    rec = parse_path(path)
    assert rec.report.template == "gov2019" and rec.report.report_year == 2019
    assert rec.cells["s3_new_received__total"].value == 859
    # zeros were left blank in this report: they are missing, never 0
    blank = rec.cells["s3_new_received__research_institution"]
    assert blank.value is None and blank.status == "missing"
    assert sum(c.status == "missing" for c in rec.cells.values()) > 100
    assert not any(c.result == "fail" for c in rec.checks if c.severity == "error")


@pytest.mark.slow
def test_a_column_list_page_is_not_a_report(corpus):
    path = corpus / "real" / "pingtan_list_index.html"
    if not path.exists():
        pytest.skip("not in this corpus")
    with pytest.raises(ParseError) as err:
        parse_path(path)
    assert err.value.kind == "not_report"
    proc = subprocess.run([*gongkai_exe(), "parse", str(path), "--json"], capture_output=True, text=True)
    assert proc.returncode != 0 and proc.stdout == ""
    assert len(proc.stderr.strip().splitlines()) == 1 and "not a government information" in proc.stderr
