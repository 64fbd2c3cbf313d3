"""Every research query in warehouse/queries/ against the hand-written warehouse, answers stated by hand."""

import json

import pytest

from warehouse import research

EXPECTED = {}


def expect(name):
    def register(fn):
        EXPECTED[name] = fn
        return fn

    return register


def rows_of(conn, name):
    cols, rows = research.run(conn, name)
    return [dict(zip(cols, r)) for r in rows]


@expect("disclosure_rate_by_province_year")
def check_disclosure(rows):
    got = [(r["province"], r["report_year"], r["granted"], r["handled"], r["share_granted"]) for r in rows]
    assert got == [
        ("江苏省", 2023, 50, 80, 0.625),
        ("江苏省", 2024, 50, 95, 0.526),
        ("河南省", 2022, 24, 47, 0.511),
        ("浙江省", 2021, 6, 9, 0.667),
        ("浙江省", 2022, 15, 21, 0.714),  # 2022: the HTML report, not its DOCX copy
        ("福建省", 2019, 8, 11, 0.727),
        ("福建省", 2021, 20, 29, 0.69),
        ("福建省", 2022, 34, 43, 0.791),
        ("黑龙江省", 2022, 0, 0, None),  # no applications: no share, not 0
    ]


@expect("self_contradictions")
def check_contradictions(rows):
    assert [(r["org_name"], r["report_year"], r["rules"]) for r in rows] == [
        ("淮安市洪泽区人民政府", 2023, "T4_SUM__review")
    ]
    assert rows[0]["document_url"].endswith("/hongze/files/h23.pdf")


@expect("new_applications_provenance")
def check_provenance(rows):
    got = {(r["org_name"], r["report_year"]): r for r in rows}
    assert {k: v["new_applications"] for k, v in got.items()} == {
        ("卫生健康局", 2022): 0,
        ("宁波市镇海区卫生健康局", 2021): 10,
        ("宁波市镇海区卫生健康局", 2022): 20,
        ("平潭综合实验区管委会", 2019): 12,
        ("平潭综合实验区管委会", 2021): 30,
        ("平潭综合实验区管委会", 2022): 45,
        ("淮安市洪泽区人民政府", 2023): 80,
        ("淮安市洪泽区人民政府", 2024): 95,
        ("郑州市卫生健康委员会", 2022): 47,
    }
    z22 = got[("宁波市镇海区卫生健康局", 2022)]
    assert z22["page_url"] == z22["document_url"] == "http://127.0.0.1:8001/zhenhai/art/z22.html"
    assert json.loads(z22["locator"]) == {"table": 1, "row": 2, "col": 2}
    h23 = got[("淮安市洪泽区人民政府", 2023)]
    assert h23["page_url"] == "http://127.0.0.1:8001/hongze/art/h23.html"
    assert json.loads(h23["locator"])["page"] == 2
    assert all(r["fetched_at"] is not None for r in rows)


@expect("cross_year_inconsistencies")
def check_cross_year(rows):
    assert [(r["org_name"], r["report_year"], r["rule"], r["observed"], r["expected"]) for r in rows] == [
        ("平潭综合实验区管委会", 2022, "XYEAR_CARRY__natural_person", 2, 3),
        ("平潭综合实验区管委会", 2022, "XYEAR_CARRY__total", 2, 3),
        ("平潭综合实验区管委会", 2022, "XYEAR_IN_FORCE__normative_doc", 11, 12),
    ]


@expect("refusal_reasons")
def check_refusals(rows):
    assert [(r["row_key"], r["reason"], r["applications"], r["share"]) for r in rows] == [
        ("denied_three_security_one_stability", "3.危及“三安全一稳定”", 2, 0.5),
        ("denied_third_party_rights", "4.保护第三方合法权益", 1, 0.25),
        ("denied_process_info", "6.属于四类过程性信息", 1, 0.25),
    ]


@expect("requester_mix_by_province")
def check_requesters(rows):
    assert [
        (r["province"], r["new_applications"], r["natural_persons"], r["organisations"], r["share_natural_persons"])
        for r in rows
    ] == [
        ("江苏省", 175, 175, 0, 1.0),
        ("河南省", 47, 40, 7, 0.851),
        ("浙江省", 30, 26, 4, 0.867),
        ("福建省", 87, 82, 5, 0.943),
        ("黑龙江省", 0, 0, 0, None),
    ]


@expect("fees_collected")
def check_fees(rows):
    got = {
        (r["province"], r["report_year"]): (r["reports_with_fee"], r["reports_fee_missing"], r["fee_wan_yuan"])
        for r in rows
    }
    assert got[("浙江省", 2021)] == (1, 0, 7.52)
    assert got[("浙江省", 2022)] == (1, 0, 6.144)
    assert got[("江苏省", 2023)] == (1, 0, 7545)
    assert got[("福建省", 2022)] == (0, 1, None)  # the blank fee cell is missing, not 0
    assert ("福建省", 2019) not in got  # gov2019 has no fee amount cell
    assert len(got) == 8


@expect("documents_to_retry")
def check_retry(rows):
    assert [(r["source_id"], r["parse_status"], r["error_kind"]) for r in rows] == [
        ("hongze", "failed", "encrypted"),
        ("ningan", "not_parsed", None),
        ("zhengzhou", "failed", "invalid_record"),
    ]
    assert rows[0]["error"] == "PDF is encrypted"
    assert "cells.s2_license_decisions.value is '1,841'" in rows[2]["error"]


@expect("agency_coverage")
def check_agencies(rows):
    got = {r["agency_id"]: (r["province"], r["city"], r["county"], r["resolved_from"], r["years"]) for r in rows}
    assert got == {
        "320813:人民政府": ("江苏省", "淮安市", "洪泽区", "source", [2023, 2024]),
        "410100:卫生健康委员会": ("河南省", "郑州市", None, "name", [2022]),
        "330211:卫生健康局": ("浙江省", "宁波市", "镇海区", "source", [2021, 2022]),
        "350128:管理委员会": ("福建省", "福州市", "平潭县", "source", [2019, 2021, 2022]),
        "231084:卫生健康局": ("黑龙江省", "牡丹江市", "宁安市", "record", [2022]),
    }


def test_every_query_has_a_checked_answer():
    names = {q.name for q in research.all_queries()}
    assert len(names) >= 6
    assert names == set(EXPECTED), "a query in warehouse/queries/ has no expected answer here (or the reverse)"
    assert all(q.question and q.question.endswith("?") for q in research.all_queries())


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_query_answer(ro, name):
    EXPECTED[name](rows_of(ro, name))
