"""Hand-written runs that follow the contracts (docs/architecture.md, output_contract.md).

Every number here is written by hand; the tests state the answers they expect literally.
"""

from __future__ import annotations

import hashlib

from pipeline import template

PARSER = "0.1.0"
COLS = (
    "natural_person",
    "commercial_enterprise",
    "research_institution",
    "social_welfare_org",
    "legal_service_org",
    "other_org",
)


def sha(name: str) -> str:
    return hashlib.sha256(name.encode()).hexdigest()


def _template(sec2: str, sec3: str):
    return template.hybrid(sec2, sec3)


def cells(
    sec2: str = "gov2021",
    sec3: str = "gov2021",
    *,
    s3: dict | None = None,
    s2: dict | None = None,
    s4: dict | None = None,
    missing: tuple[str, ...] = (),
    imputed: dict | None = None,
    fmt: str = "pdf",
) -> dict:
    """Every cell of the template: the given values, 0 elsewhere; s3 row totals and （七）总计 summed."""
    t = _template(sec2, sec3)
    values = {k: 0 for k in t.keys}
    for row, by_col in (s3 or {}).items():
        for col, v in by_col.items():
            values[f"s3_{row}__{col}"] = v
    result_rows = [
        r.row_key
        for r in t.rows
        if r.row_key not in ("new_received", "carried_over", "results_total", "carried_forward")
    ]
    for col in COLS:
        if f"s3_results_total__{col}" not in {
            f"s3_results_total__{c}" for r, d in (s3 or {}).items() if r == "results_total" for c in d
        }:
            values[f"s3_results_total__{col}"] = sum(values[f"s3_{r}__{col}"] for r in result_rows)
    for r in t.rows:
        if f"s3_{r.row_key}__total" in values and "total" not in (s3 or {}).get(r.row_key, {}):
            values[f"s3_{r.row_key}__total"] = sum(values[f"s3_{r.row_key}__{c}"] for c in COLS)
    values.update(s2 or {})
    values.update(s4 or {})
    out = {}
    for i, key in enumerate(t.keys):
        v = values[key]
        locator = (
            {"page": 2 + i // 80, "bbox": [100.0, 700.0 - (i % 80) * 8, 140.0, 708.0 - (i % 80) * 8]}
            if fmt == "pdf"
            else {"table": int(key[1]) - 2, "row": i // 7, "col": i % 7}
        )
        if key in missing:
            out[key] = {"value": None, "status": "missing", "raw": "", "locator": locator}
        elif imputed and key in imputed:
            out[key] = {"value": v, "status": "imputed", "raw": None, "rule": imputed[key]}
        else:
            out[key] = {"value": v, "status": "read", "raw": str(v), "locator": locator}
    return out


def checks(cells_: dict, sec2: str = "gov2021", sec3: str = "gov2021") -> list[dict]:
    out = []
    for rule in _template(sec2, sec3).rules:
        vals = [cells_.get(k, {}).get("value") for k in rule.operands]
        if any(v is None for v in vals):
            result = "not_assessable"
        else:
            lhs = sum(cells_[k]["value"] for k in rule.lhs)
            rhs = sum(cells_[k]["value"] for k in rule.rhs)
            result = "pass" if abs(lhs - rhs) < 1e-9 else "fail"
        out.append({"rule": rule.id, "severity": rule.severity, "result": result})
    return out


def record(
    name: str,
    *,
    org: str,
    year: int,
    sec2: str = "gov2021",
    sec3: str = "gov2021",
    fmt: str = "pdf",
    region: dict | None = None,
    sections: dict | None = None,
    **cell_args,
) -> dict:
    c = cells(sec2, sec3, fmt=fmt, **cell_args)
    return {
        "document": {
            "sha256": sha(name),
            "format": fmt,
            "converter": {"pdf": "pdfminer.six 20250506", "html": "lxml 5.3.0", "docx": "mammoth 1.8.0"}[fmt],
            "pages": 5 if fmt == "pdf" else None,
        },
        "report": {
            "title": f"{org}{year}年政府信息公开工作年度报告",
            "org_name": org,
            "report_year": year,
            "template": sec2,
            "sec2_variant": sec2,
            "sec3_variant": sec3,
            "region": region,
        },
        "cells": c,
        "checks": checks(c, sec2, sec3),
        "narrative": {
            "n_active_disclosed_total": {
                "value": 100 + year % 100,
                "raw": f"主动公开政府信息{100 + year % 100}条",
                "approx": False,
            }
        },
        "sections": sections or {"sec1_overview": f"{org}认真贯彻落实《中华人民共和国政府信息公开条例》。"},
        "warnings": [],
        "parser_version": PARSER,
    }


def ok(rec: dict) -> dict:
    return {
        "sha256": rec["document"]["sha256"],
        "parser_version": PARSER,
        "status": "ok",
        "error": None,
        "error_kind": None,
        "record": rec,
    }


SOURCES = [
    {
        "id": "zhenhai",
        "name": "宁波市镇海区卫生健康局",
        "region": "330211",
        "start_urls": ["http://127.0.0.1:8001/zhenhai/"],
        "allowed_domains": ["127.0.0.1"],
        "cms": "trs",
    },
    {
        "id": "pingtan",
        "name": "平潭综合实验区管委会",
        "region": "350128",
        "start_urls": ["http://127.0.0.1:8001/pingtan/"],
        "cms": "trs",
        "years": [2019, 2021, 2022],
    },
    {
        "id": "hongze",
        "name": "淮安市洪泽区人民政府",
        "region": "320813",
        "start_urls": ["http://127.0.0.1:8001/hongze/"],
        "cms": "generic",
    },
    {"id": "zhengzhou", "name": "郑州市卫生健康委员会", "start_urls": ["http://127.0.0.1:8001/zhengzhou/"]},
    {"id": "ningan", "name": "宁安市人民政府", "start_urls": ["http://127.0.0.1:8001/ningan/"]},
]


def _reports() -> list[tuple[str, str, str, dict]]:
    """(name, source_id, role, record) for every report document."""
    z21 = record(
        "Z21",
        org="宁波市镇海区卫生健康局",
        year=2021,
        s3={
            "new_received": {"natural_person": 8, "commercial_enterprise": 2},
            "granted": {"natural_person": 5, "commercial_enterprise": 1},
            "partially_granted": {"natural_person": 2},
            "unavailable_not_held": {"natural_person": 1},
            "carried_forward": {"commercial_enterprise": 1},
        },
        s2={
            "s2_normative_doc_issued": 2,
            "s2_normative_doc_in_force": 5,
            "s2_license_decisions": 1841,
            "s2_penalty_decisions": 304,
            "s2_fee_amount_wan_yuan": 7.52,
        },
        s4={"s4_review_upheld": 1, "s4_review_total": 1},
    )
    z22_s3 = {
        "carried_over": {"commercial_enterprise": 1},
        "new_received": {"natural_person": 18, "commercial_enterprise": 2},
        "granted": {"natural_person": 12, "commercial_enterprise": 3},
        "partially_granted": {"natural_person": 3},
        "denied_third_party_rights": {"natural_person": 1},
        "unavailable_not_held": {"natural_person": 2},
    }
    z22_s2 = {
        "s2_normative_doc_issued": 1,
        "s2_normative_doc_repealed": 1,
        "s2_normative_doc_in_force": 5,
        "s2_fee_amount_wan_yuan": 6.144,
    }
    z22 = record(
        "Z22",
        org="宁波市镇海区卫生健康局",
        year=2022,
        fmt="html",
        s3=z22_s3,
        s2=z22_s2,
        imputed={"s3_granted__total": "T3_ROWSUM__granted"},
        sections={
            "sec1_overview": "镇海区卫生健康局2022年主动公开政府信息122条。",
            "sec5_problems": "政务新媒体更新不及时，下一步将加强政府信息公开平台建设。",
        },
    )
    z22d = record(
        "Z22D",
        org="镇海区卫健局",
        year=2022,
        fmt="docx",
        s3=z22_s3,
        s2=z22_s2,
        missing=tuple(f"s3_denied_third_party_rights__{c}" for c in (*COLS, "total")),
    )
    p21 = record(
        "P21",
        org="平潭综合实验区管委会",
        year=2021,
        s3={
            "new_received": {"natural_person": 30},
            "carried_over": {"natural_person": 2},
            "granted": {"natural_person": 20},
            "partially_granted": {"natural_person": 5},
            "unavailable_need_creation": {"natural_person": 4},
            "carried_forward": {"natural_person": 3},
        },
        s2={"s2_normative_doc_in_force": 10},
    )
    p22 = record(
        "P22",
        org="平潭综合实验区管委会",
        year=2022,
        s3={
            "carried_over": {"natural_person": 2},
            "new_received": {"natural_person": 40, "commercial_enterprise": 5},
            "granted": {"natural_person": 30, "commercial_enterprise": 4},
            "partially_granted": {"natural_person": 6},
            "not_processed_duplicate": {"natural_person": 2},
            "other_misc": {"commercial_enterprise": 1},
            "carried_forward": {"natural_person": 4},
        },
        s2={"s2_normative_doc_issued": 3, "s2_normative_doc_repealed": 1, "s2_normative_doc_in_force": 11},
        missing=("s2_fee_amount_wan_yuan",),
    )
    p19 = record(
        "P19",
        org="平潭综合实验区管委会",
        year=2019,
        sec2="gov2019",
        sec3="gov2019",
        s3={
            "new_received": {"natural_person": 12},
            "granted": {"natural_person": 8},
            "partially_granted": {"natural_person": 2},
            "other_processing": {"natural_person": 1},
            "carried_forward": {"natural_person": 1},
        },
        s2={"s2_license_decisions": 500, "s2_procurement_amount": 75394432.52},
    )
    h23 = record(
        "H23",
        org="淮安市洪泽区人民政府",
        year=2023,
        s3={
            "new_received": {"natural_person": 80},
            "granted": {"natural_person": 50},
            "partially_granted": {"natural_person": 9},
            "denied_three_security_one_stability": {"natural_person": 1},
            "unavailable_not_held": {"natural_person": 20},
        },
        s2={"s2_normative_doc_in_force": 5, "s2_fee_amount_wan_yuan": 7545},
        s4={"s4_review_upheld": 10, "s4_review_corrected": 1, "s4_review_total": 0},
        sections={
            "sec1_overview": "洪泽区人民政府2023年度政府信息公开工作情况。",
            "sec6_other": "本年度实际收取信息处理费共计400元。",
        },
    )
    h24 = record(
        "H24",
        org="淮安市洪泽区人民政府",
        year=2024,
        sec3="gov2019",
        s3={
            "new_received": {"natural_person": 95},
            "granted": {"natural_person": 50},
            "partially_granted": {"natural_person": 9},
            "denied_three_security_one_stability": {"natural_person": 1},
            "unavailable_not_held": {"natural_person": 30},
            "other_processing": {"natural_person": 5},
        },
        s2={"s2_normative_doc_issued": 3, "s2_normative_doc_in_force": 8, "s2_fee_amount_wan_yuan": 7600},
    )
    zz22 = record(
        "ZZ22",
        org="郑州市卫生健康委员会",
        year=2022,
        sec3="gov2019",
        s3={
            "new_received": {"natural_person": 40, "commercial_enterprise": 7},
            "granted": {"natural_person": 20, "commercial_enterprise": 4},
            "partially_granted": {"natural_person": 10, "commercial_enterprise": 3},
            "denied_process_info": {"natural_person": 1},
            "unavailable_not_held": {"natural_person": 5},
            "other_processing": {"natural_person": 4},
        },
        missing=tuple(f"s4_review_{k}" for k in ("upheld", "corrected", "other", "pending", "total")),
    )
    na22 = record(
        "NA22",
        org="卫生健康局",
        year=2022,
        region={"province": "黑龙江省", "city": "牡丹江市", "county": "宁安市", "adcode": "231084"},
        sections={
            "sec1_overview": "2022年未收到政府信息公开申请。",
            "sec6_other": "依据《政府信息公开信息处理费管理办法》的规定，我单位本年度未收取相关费用。",
        },
    )
    return [
        ("Z21", "zhenhai", "attachment", z21),
        ("Z22", "zhenhai", "page", z22),
        ("Z22D", "zhenhai", "attachment", z22d),
        ("P21", "pingtan", "attachment", p21),
        ("P22", "pingtan", "attachment", p22),
        ("P19", "pingtan", "attachment", p19),
        ("H23", "hongze", "attachment", h23),
        ("H24", "hongze", "attachment", h24),
        ("ZZ22", "zhengzhou", "attachment", zz22),
        ("NA22", "ningan", "attachment", na22),
    ]


def run(run_id: str = "run-2026-12-02", tag: str = "") -> dict:
    """A whole run: sources, fetches, documents and parse results (incl. a failure, a bad record, one unparsed).

    ``tag`` renames every document (other bytes, other sha256) so two runs can hold different reports.
    """
    fetches, documents, results = [], [], []
    base = "http://127.0.0.1:8001"
    minute = 0

    def when() -> str:
        nonlocal minute
        minute += 1
        return f"2026-12-02T04:{minute:02d}:00Z"

    def add_doc(name: str, source: str, role: str, fmt: str, year: int | None, title: str) -> None:
        name = tag + name
        page = f"{base}/{source}/art/{name.lower()}.html"
        doc_url = page if role == "page" else f"{base}/{source}/files/{name.lower()}.{fmt}"
        t = when()
        fetches.append(
            {
                "run_id": run_id,
                "source_id": source,
                "url": page,
                "final_url": page,
                "redirect_chain": [],
                "method": "GET",
                "http_status": 200,
                "fetched_at": t,
                "sha256": sha(name) if role == "page" else sha("page-" + name),
                "size": 20480,
                "content_type": "text/html; charset=utf-8",
                "etag": None,
                "last_modified": None,
                "content_disposition": None,
                "encoding": "utf-8",
                "meta": {"ArticleTitle": title, "PubDate": f"{(year or 2022) + 1}-01-20"},
                "outcome": "ok",
                "reason": None,
                "kind": "article",
                "referer": f"{base}/{source}/",
            }
        )
        if role == "attachment":
            t = when()
            fetches.append(
                {
                    "run_id": run_id,
                    "source_id": source,
                    "url": doc_url,
                    "final_url": doc_url,
                    "redirect_chain": [],
                    "method": "GET",
                    "http_status": 200,
                    "fetched_at": t,
                    "sha256": sha(name),
                    "size": 81920,
                    "content_type": f"application/{fmt}",
                    "etag": '"abc"',
                    "last_modified": None,
                    "content_disposition": f'attachment; filename="{name.lower()}.{fmt}"',
                    "encoding": None,
                    "meta": {},
                    "outcome": "ok",
                    "reason": None,
                    "kind": "attachment",
                    "referer": page,
                }
            )
        documents.append(
            {
                "run_id": run_id,
                "source_id": source,
                "sha256": sha(name),
                "format": fmt,
                "document_url": doc_url,
                "page_url": page,
                "title": title,
                "year_hint": year,
                "fetched_at": t,
                "store_path": f"store/{sha(name)[:2]}/{sha(name)[2:4]}/{sha(name)}",
                "role": role,
                "filename": None if role == "page" else f"{name.lower()}.{fmt}",
            }
        )

    for name, source, role, rec in _reports():
        rec["document"]["sha256"] = sha(tag + name)
        rep = rec["report"]
        add_doc(name, source, role, rec["document"]["format"], rep["report_year"], rep["title"])
        results.append(ok(rec))
    add_doc("FAIL1", "hongze", "attachment", "pdf", 2022, "淮安市洪泽区人民政府2022年政府信息公开工作年度报告")
    results.append(
        {
            "sha256": sha(tag + "FAIL1"),
            "parser_version": PARSER,
            "status": "failed",
            "error": "PDF is encrypted",
            "error_kind": "encrypted",
            "record": None,
        }
    )
    add_doc("BAD1", "zhengzhou", "attachment", "pdf", 2021, "郑州市卫生健康委员会2021年政府信息公开工作年度报告")
    bad = record(tag + "BAD1", org="郑州市卫生健康委员会", year=2021)
    bad["cells"]["s2_license_decisions"] = {"value": "1,841", "status": "read", "raw": "1,841"}
    results.append(ok(bad))
    add_doc("NOPARSE", "ningan", "attachment", "doc", 2021, "宁安市卫生健康局2021年政府信息公开工作年度报告")
    fetches.append(
        {
            "run_id": run_id,
            "source_id": "pingtan",
            "url": f"{base}/pingtan/old.html",
            "final_url": None,
            "http_status": 404,
            "fetched_at": when(),
            "sha256": None,
            "outcome": "gone",
            "reason": "HTTP 404",
            "kind": "article",
            "referer": f"{base}/pingtan/",
        }
    )
    fetches.append(
        {
            "run_id": run_id,
            "source_id": "hongze",
            "url": f"{base}/hongze/private/",
            "final_url": None,
            "http_status": None,
            "fetched_at": when(),
            "sha256": None,
            "outcome": "blocked",
            "reason": "robots.txt disallows",
            "kind": "column",
            "referer": None,
        }
    )
    return {"run_id": run_id, "sources": SOURCES, "fetches": fetches, "documents": documents, "results": results}
