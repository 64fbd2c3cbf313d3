"""What the report reads from the known warehouse, and how it lays out and encodes it."""

import base64
import gzip
import json
import re

import pytest

from gongkai.report import collect, drilldown, layouts
from gongkai.report.charts import bar_chart, Bar, heat_class
from gongkai.report.page import encode_payload, safe_href
from tests.report.conftest import report_id
from tests.warehouse import wh_records as records


def test_coverage(known_conn):
    c = collect.coverage(known_conn)
    got = {p.province: p for p in c.provinces}
    assert len(got) == 33  # every provincial unit with a code, reports or not
    assert (got["福建省"].reports, got["福建省"].agencies, got["福建省"].counties_covered) == (3, 1, 1)
    assert got["福建省"].counties_total == 84
    assert (got["河南省"].prefectures_covered, got["河南省"].counties_covered) == (1, 0)  # 郑州市卫健委
    assert got["北京市"].reports == 0
    assert c.levels == (("province", 0, 0), ("prefecture", 1, 1), ("county", 8, 4))
    assert [(y, n) for y, n, _ in c.years] == [(2019, 1), (2021, 2), (2022, 4), (2023, 1), (2024, 1)]
    assert dict(c.heat)["浙江省"] == (0, 1, 1, 0, 0)


def test_fetch_outcomes(known_conn):
    f = collect.fetch_outcomes(known_conn)
    assert f.outcomes == ("ok", "not_modified", "blocked", "gone", "error", "skipped")
    assert f.totals == (25, 0, 1, 1, 0, 0)
    by_source = {s.source_id: s for s in f.sources}
    assert by_source["hongze"].counts == (6, 0, 1, 0, 0, 0) and by_source["hongze"].name == "淮安市洪泽区人民政府"
    assert [s.source_id for s in f.sources[:2]] == ["hongze", "pingtan"]  # problems first
    assert {(r.outcome, r.reason) for r in f.reasons} == {("blocked", "robots.txt disallows"), ("gone", "HTTP 404")}


def test_parse_status_and_rules(known_conn):
    p = collect.parse_status(known_conn)
    assert p.statuses == (("ok", 10), ("failed", 2), ("not_parsed", 1))
    assert p.error_kinds == (("encrypted", 1), ("invalid_record", 1))
    assert {x.error_kind: x.document_url for x in p.failures} == {
        "encrypted": "http://127.0.0.1:8001/hongze/files/fail1.pdf",
        "invalid_record": "http://127.0.0.1:8001/zhengzhou/files/bad1.pdf",
    }
    r = collect.rule_results(known_conn)
    assert (r.reports_failing, r.reports_checked) == (1, 10)
    assert [(x.rule, x.origin, x.reports) for x in r.failing] == [
        ("T4_SUM__review", "record", 1),
        ("XYEAR_CARRY__natural_person", "warehouse", 1),
        ("XYEAR_CARRY__total", "warehouse", 1),
        ("XYEAR_IN_FORCE__normative_doc", "warehouse", 1),
    ]
    families = {f: (ok, fail, na) for f, ok, fail, na in r.families}
    assert families["T4_SUM"][1] == 1 and families["XYEAR_CARRY"][1] == 2


def test_distributions_count_blank_apart(known_conn):
    received = collect.received_distribution(known_conn)
    assert (received.n, received.n_blank) == (9, 0)
    # 0 10 12 20 30 45 47 80 95: p90 interpolates 0.2 of the way from 80 to 95
    assert dict(received.stats) == {"min": "0", "median": "30", "p90": "83", "max": "95"}
    share = collect.share_distribution(known_conn)
    assert (share.n, share.n_blank) == (8, 1)  # 宁安: no application handled, so no share
    assert "1 with no application handled" in share.note


def test_share_bins_edges():
    # 0.3 must land in 30–40 %, 1.0 in the last bin, > 1 in its own flagged bin
    class FakeConn:
        def __init__(self, rows):
            self.rows = rows

        def execute(self, sql, params=None):
            return self

        def fetchall(self):
            return self.rows

    d = collect.share_distribution(
        FakeConn([(3, 10), (10, 10), (0, 7), (12, 10), (None, 5), (4, 0), (float("nan"), 3)])
    )
    bins = dict(d.bins)
    assert bins["30–40%"] == 1 and bins["90–100%"] == 1 and bins["0–10%"] == 1
    assert bins["> 100% (granted > handled)"] == 1 and (d.n, d.n_blank) == (4, 3)


@pytest.mark.parametrize(
    "sec2, sec3, rows, cells, s2_tables",
    [("gov2021", "gov2021", 25, 175, 4), ("gov2019", "gov2019", 23, 161, 5), ("gov2021", "gov2019", 23, 161, 4)],
)
def test_layouts_follow_the_template(sec2, sec3, rows, cells, s2_tables):
    lay = layouts.layout(sec2, sec3)
    assert len(lay["s3"]["rows"]) == rows and len(lay["s3"]["cols"]) == 7
    assert sum(1 for *_, idx in lay["s3"]["rows"] for i in idx if i is not None) == cells
    assert len(lay["s2"]) == s2_tables
    assert sum(len(cols) for _, _, cols in lay["s4"]) == 15
    assert [(top, sub) for top, sub, _ in lay["s4"]] == [
        ("行政复议", None),
        ("行政诉讼", "未经复议直接起诉"),
        ("行政诉讼", "复议后起诉"),
    ]
    # every cell of the template appears exactly once in the tables
    used = [i for t in lay["s2"] for _, idx in t["rows"] for i in idx if i is not None]
    used += [i for *_, idx in lay["s3"]["rows"] for i in idx]
    used += [i for _, _, cols in lay["s4"] for _, i in cols]
    assert sorted(used) == list(range(len(lay["keys"])))
    granted = lay["s3"]["rows"][2]
    assert granted[:3] == ["（一）予以公开", "三、本年度办理结果", None]
    assert lay["s3"]["rows"][4][1:3] == ["三、本年度办理结果", "（三）不予公开"]
    t4 = lay["rules"]["T4_SUM__review"]
    assert [lay["keys"][i] for i in t4[2]] == [
        "s4_review_total",
        "s4_review_upheld",
        "s4_review_corrected",
        "s4_review_other",
        "s4_review_pending",
    ]


def test_locators_and_numbers():
    assert drilldown.format_locator('{"bbox": [100.0, 699.96, 140.04, 708.0], "page": 2}') == "p.2 bbox 100,700,140,708"
    assert (
        drilldown.format_locator({"page": 3, "bbox": [312.48, 517.25, 367.5, -0.01]}) == "p.3 bbox 312.5,517.2,367.5,0"
    )
    assert drilldown.format_locator({"table": 1, "row": 2, "col": 0}) == "table 1 row 2 col 0"
    assert drilldown.format_locator({"line": 17}) == "line 17"
    assert drilldown.format_locator({"page": 3, "table": 2, "row": 1, "col": 1}) == "p.3 table 2 row 1 col 1"
    assert drilldown.format_locator({"sheet": "表<1>"}) == 'sheet="表<1>"'
    assert drilldown.format_locator(None) == "" and drilldown.format_locator("not json") == "not json"
    assert drilldown.number(12.0) == 12 and drilldown.number(7.52) == 7.52 and drilldown.number(None) is None
    assert drilldown.number(float("nan")) == "nan" and drilldown.number(float("-inf")) == "-inf"


def test_payload_of_known_reports(known_conn):
    payload = drilldown.collect_payload(known_conn)
    by_id = {r["id"]: r for r in payload["reports"]}
    assert len(by_id) == 10 and len(payload["layouts"]) == 3  # gov2021, gov2021+gov2019, gov2019
    z22d = by_id[report_id("Z22D")]
    lay = payload["layouts"][z22d["L"]]
    i = lay["keys"].index("s3_denied_third_party_rights__total")
    assert z22d["V"][i] is None and z22d["S"][i] == "m"  # blank, never 0
    z22 = by_id[report_id("Z22")]
    j = payload["layouts"][z22["L"]]["keys"].index("s3_granted__total")
    assert (z22["S"][j], z22["V"][j], z22["U"][str(j)], z22["X"][j]) == ("i", 15, "T3_ROWSUM__granted", "")
    assert z22["S"].count("r") == 199 and z22["pu"] == z22["du"]
    h23 = by_id[report_id("H23")]
    assert [f[0] for f in h23["F"]] == ["T4_SUM__review"] and h23["k"][4] == 1
    p22 = by_id[report_id("P22")]
    assert [x[0] for x in p22["XF"]] == [
        "XYEAR_CARRY__natural_person",
        "XYEAR_CARRY__total",
        "XYEAR_IN_FORCE__normative_doc",
    ]
    assert p22["XF"][0][2] == "s3_carried_over__natural_person" and p22["XF"][0][4] == report_id("P21")
    assert by_id[report_id("NA22")]["N"] == [["n_active_disclosed_total", 122, "主动公开政府信息122条", False]]
    # the payload survives the page's encoding unchanged
    packed, raw = encode_payload(payload)
    decoded = json.loads(gzip.decompress(base64.b64decode(re.sub(r"\s", "", packed))))
    assert decoded == json.loads(json.dumps(payload)) and raw > len(packed) / 2


def test_safe_href_and_charts_escape():
    assert safe_href("http://a.gov.cn/x?y=1&z=2") == "http://a.gov.cn/x?y=1&z=2"
    assert safe_href(" HTTPS://a.gov.cn/ ") == "HTTPS://a.gov.cn/"
    for bad in ("javascript:alert(1)", "JaVaScRiPt:alert(1)", "data:text/html,x", "//evil", "", None, "vbscript:x"):
        assert safe_href(bad) is None
    svg = bar_chart([Bar("<b>&", 3), Bar("x", 0)], chart_id="c", title='"t"')
    assert "<b>" not in svg and "&lt;b&gt;&amp;" in svg and svg.count('class="bar') == 2
    assert 'width="0.0"' in svg  # a zero bar is drawn as nothing, not as a sliver
    assert [heat_class(n, 8) for n in (0, 1, 4, 8)] == ["h0", "h1", "h3", "h5"]


def test_records_behind_the_expectations():
    """The answers the browser test states by hand follow from the hand-written run."""
    results = {r["sha256"]: r for r in records.run()["results"]}
    h23 = results[records.sha("H23")]["record"]["cells"]
    assert [h23[f"s4_review_{k}"]["value"] for k in ("upheld", "corrected", "total")] == [10, 1, 0]
