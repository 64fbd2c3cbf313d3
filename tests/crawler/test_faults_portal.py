"""A portal that fails in every way a server can — 500, 503 with Retry-After (always, once, or asking
for an hour), connection resets before and during a body, a body dripping in slower than the
download timeout, a PDF served as text/html and a report page served as application/octet-stream —
crawled beside a healthy portal by one real `gongkai run` into a real DuckDB file: the run
completes, every outcome is in the `fetches` view, and the healthy portal's part is exactly what it
is alone."""

from __future__ import annotations

import random
import threading
import time
from pathlib import Path

import pytest

from gongkai.samples import server as srv
from gongkai.samples.portal import SampleArticle, build_trs_site
from gongkai.samples.render_docx import render_docx
from gongkai.samples.render_html import render_html_body
from gongkai.samples.render_pdf import render_pdf
from gongkai.samples.values import generate_report
from tests.crash.runner import FAST_CRAWL, Pipeline, partial, query, summary_line
from tests.flows.portals import build_portal, free_port, sources_file

pytestmark = pytest.mark.slow

ORG = "丙市司法局"
TIMEOUT_S = 2  # DOWNLOAD_TIMEOUT of the run
FAULTS = {  # link text → path; the attachments of the 2021 article
    "繁忙.docx": "/faults/busy.docx",  # 503, Retry-After: 1, every time
    "一小时后再来.docx": "/faults/later.docx",  # 503, Retry-After: 3600
    "出错.pdf": "/faults/error.pdf",  # 500
    "重置.pdf": "/faults/reset.pdf",  # connection reset before any answer
    "中断.pdf": "/faults/cut.pdf",  # reset after 1 KB of an announced 64 KB
    "滴漏.pdf": "/faults/drip.pdf",  # 64 bytes every 0.5 s: 20 s for 2.5 KB
    "偶尔繁忙.docx": "/faults/flaky.docx",  # 503 + Retry-After: 1 once, then the report
}


def _report(rng: random.Random, year: int):
    return generate_report(
        random.Random(rng.randrange(2**31)), template="gov2021", year=year, org=ORG, blanks=0.0, size="small"
    )


def once_busy(inner: srv.Route, retry_after: str = "1") -> srv.Route:
    """503 with Retry-After the first time, then ``inner``; remembers when each request came."""
    calls: list[float] = []
    lock = threading.Lock()

    def route(req: srv.Req) -> srv.Reply:
        with lock:
            calls.append(time.monotonic())
            first = len(calls) == 1
        if first:
            return srv.Reply(
                503, b"<html><body>busy</body></html>", (("Content-Type", "text/html"), ("Retry-After", retry_after))
            )
        return inner(req)

    route.calls = calls  # type: ignore[attr-defined]
    return route


def faulty_portal(root: Path) -> tuple:
    rng = random.Random(41)
    r23, r22, r21 = _report(rng, 2023), _report(rng, 2022), _report(rng, 2021)
    pdf22, docx21 = render_pdf(r22), render_docx(r21)
    articles = [
        SampleArticle(r23.title, "2024-01-20", body_html=render_html_body(r23), source=ORG),
        SampleArticle(
            r22.title,
            "2023-01-20",
            source=ORG,
            body_html="<p>全文见附件。</p>",
            attachments=(("2022年年度报告.pdf", pdf22),),
        ),
        SampleArticle(
            r21.title, "2022-01-20", source=ORG, body_html="<p>全文见附件。</p>", extra_links=tuple(FAULTS.items())
        ),
        SampleArticle(f"{ORG}2020年政府信息公开工作年度报告", "2021-01-20", source=ORG, body_html="<p>x</p>"),
    ]
    site = build_trs_site(root, articles, site_name=f"{ORG}门户", per_page=10)
    page23, page20 = site.pages[r23.title], site.pages[articles[3].title]
    pdf_path = site.files[(r22.title, "2022年年度报告.pdf")]
    flaky = once_busy(srv.raw(docx21, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"))
    routes = {
        # the report page as a download, the PDF as a web page: the bytes decide
        page23: lambda req: srv.Reply(
            200, (site.root / page23.lstrip("/")).read_bytes(), (("Content-Type", "application/octet-stream"),)
        ),
        pdf_path: srv.raw(pdf22, "text/html; charset=utf-8"),
        page20: srv.status(500),
        "/faults/busy.docx": lambda req: srv.Reply(503, b"busy", (("Content-Type", "text/html"), ("Retry-After", "1"))),
        "/faults/later.docx": lambda req: srv.Reply(
            503, b"busy", (("Content-Type", "text/html"), ("Retry-After", "3600"))
        ),
        "/faults/error.pdf": srv.status(500),
        "/faults/reset.pdf": srv.reset(),
        "/faults/cut.pdf": srv.reset(b"%PDF-1.4\n" + b"0" * 1015, announce=64 * 1024),
        "/faults/drip.pdf": srv.drip(b"%PDF-1.4\n" + b"0" * 2551, chunk=64, interval_s=0.5),
        "/faults/flaky.docx": flaky,
    }
    expected = sorted([(ORG, 2023), (ORG, 2022), (ORG, 2021)])
    return site, routes, flaky, expected, page20


def test_a_faulty_portal_beside_a_healthy_one(tmp_path):
    site, routes, flaky, faulty_reports, page20 = faulty_portal(tmp_path / "faulty")
    good = build_portal(tmp_path / "good", "good", "丁县人民政府办公室", ((2022, "html"), (2023, "docx")), 42)
    pf, pg = free_port(), free_port()
    sources = sources_file(
        tmp_path / "sources.yaml", [("faulty", f"{ORG}门户", pf), ("good", "丁县人民政府办公室", pg)]
    )
    p = Pipeline(
        sources,
        tmp_path / "data",
        tmp_path / "warehouse.duckdb",
        tmp_path / "prefect-home",
        run_id="faults",
        settings={**FAST_CRAWL, "DOWNLOAD_TIMEOUT": TIMEOUT_S},
    )
    server = srv.PortalServer(site.root, routes, port=pf)
    with server, good.site.serve(port=pg):
        rc, out = p.run()
    assert rc == 0, out[-3000:]  # the run completes (each source gave usable pages)
    assert "5 documents, 5 parsed (5 now, 0 from the cache), 0 failed" in summary_line(out)
    assert partial(p.warehouse) == {}

    rows = query(
        p.warehouse,
        "SELECT source_id, url, outcome, http_status, reason, kind, content_type FROM fetches WHERE run_id = 'faults'",
    )
    base = f"http://127.0.0.1:{pf}"
    faulty = {url.removeprefix(base): r for sid, url, *r in rows if sid == "faulty"}
    # one record per URL asked for: retries are notes in its reason, not records of their own
    assert len(faulty) == sum(sid == "faulty" for sid, *_ in rows)
    want = {  # path → (outcome, HTTP status, reason starts with …)
        "/faults/busy.docx": ("error", 503, "HTTP 503; after 1 retry: HTTP 503, Retry-After 1 s"),
        "/faults/later.docx": (
            "error",
            503,
            "HTTP 503; Retry-After 3600 s is more than GONGKAI_MAX_RETRY_AFTER (30 s): not retried in this crawl",
        ),
        "/faults/error.pdf": ("error", 500, "HTTP 500; after 1 retry: HTTP 500"),
        "/faults/reset.pdf": ("error", None, "connection lost: ConnectionLost: Connection to the other side was lost"),
        "/faults/cut.pdf": (
            "error",
            None,
            "connection lost: the body ended before its announced length (data loss); after 1 retry: connection lost",
        ),
        "/faults/drip.pdf": ("error", None, f"timeout after {TIMEOUT_S}s: "),
        "/faults/flaky.docx": ("ok", 200, "after 1 retry: HTTP 503, Retry-After 1 s"),
    }
    for path, (outcome, status, reason) in want.items():
        got = faulty[path]
        assert (got[0], got[1], got[3]) == (outcome, status, "attachment"), (path, got)
        assert got[2].startswith(reason), (path, got)
    assert faulty["/faults/drip.pdf"][2].endswith("after 1 retry: timeout")
    asked = server.paths()
    assert asked.count("/faults/later.docx") == 1  # an hour is not waited for
    assert asked.count("/faults/busy.docx") == asked.count("/faults/flaky.docx") == 2
    # the retry came no sooner than Retry-After said (a lower bound: a busy machine only makes it later)
    assert len(flaky.calls) == 2 and flaky.calls[1] - flaky.calls[0] >= 1.0
    assert tuple(faulty[page20][:4]) == ("error", 500, "HTTP 500; after 1 retry: HTTP 500", "article")

    # a report page served as application/octet-stream and a PDF served as text/html: the bytes decide
    served = {r[4] for r in faulty.values() if r[0] == "ok"}
    assert {"application/octet-stream", "text/html; charset=utf-8"} <= served
    reports = query(
        p.warehouse,
        "SELECT r.source_id, r.org_name, r.report_year, r.doc_format, d.format, f.content_type "
        "FROM reports r JOIN documents d ON d.sha256 = r.document_sha256 "
        "JOIN fetches f ON f.sha256 = r.document_sha256 AND f.url = r.document_url "
        "WHERE r.source_id = 'faulty' ORDER BY r.report_year",
    )
    assert [(y, fmt, sniffed, ctype) for _, _, y, fmt, sniffed, ctype in reports] == [
        (2021, "docx", "docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        (2022, "pdf", "pdf", "text/html; charset=utf-8"),
        (2023, "html", "html", "application/octet-stream"),
    ]
    assert sorted((org, y) for _, org, y, *_ in reports) == faulty_reports

    # the healthy portal in the same run: every fetch ok, its reports with the generated figures
    assert {r[2] for r in rows if r[0] == "good"} == {"ok"}
    got = query(
        p.warehouse,
        "SELECT r.org_name, r.report_year, c.value FROM reports r JOIN cells c USING (report_id) "
        "WHERE r.source_id = 'good' AND c.cell_key = 's3_new_received__total' ORDER BY ALL",
    )
    assert got == sorted((org, y, float(v)) for org, y, v in good.reports)
    assert query(p.warehouse, "SELECT parse_status, count(*) FROM documents GROUP BY ALL") == [("ok", 5)]
