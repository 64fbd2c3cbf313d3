"""The walking skeleton end to end: a real Scrapy crawl of the sample portal served on 127.0.0.1, the
Prefect flow (ephemeral server), the parser and a real DuckDB file — run twice, converging."""

import os
import subprocess

import duckdb
import pytest

from gongkai.samples.demo_site import build_demo_site
from gongkai.samples.portal import sources_yaml
from tests.conftest import gongkai_exe

FAST = ["DOWNLOAD_DELAY=0", "AUTOTHROTTLE_START_DELAY=0", "AUTOTHROTTLE_MAX_DELAY=0.2"]

pytestmark = pytest.mark.slow


def _run(sources, warehouse, data, env, run_id):
    cmd = [
        *gongkai_exe(),
        "run",
        "--sources",
        str(sources),
        "--warehouse",
        str(warehouse),
        "--data",
        str(data),
        "--run-id",
        run_id,
    ]
    for s in FAST:
        cmd += ["--crawl-setting", s]
    return subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=600)


def _counts(warehouse):
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return {
            v: con.execute(f"SELECT count(*) FROM {v}").fetchone()[0]
            for v in ("reports", "cells", "checks", "fetches", "documents", "provenance")
        }
    finally:
        con.close()


def test_portal_to_warehouse_twice(tmp_path):
    site, reports = build_demo_site(tmp_path / "portal")
    env = dict(os.environ, PREFECT_HOME=str(tmp_path / "prefect"), PREFECT_LOGGING_LEVEL="WARNING")
    data, warehouse = tmp_path / "data", tmp_path / "warehouse.duckdb"
    with site.serve() as base_url:
        sources = tmp_path / "sources.yaml"
        sources.write_text(sources_yaml("demo", base_url), encoding="utf-8")
        first = _run(sources, warehouse, data, env, "run-a")
        assert first.returncode == 0, first.stderr[-3000:]
        counts = _counts(warehouse)
        second = _run(sources, warehouse, data, env, "run-b")
        assert second.returncode == 0, second.stderr[-3000:]
    again = _counts(warehouse)
    # reports, cells and checks converge; fetches are per run (the second is conditional: 304s)
    assert {k: again[k] for k in ("reports", "cells", "checks")} == {
        k: counts[k] for k in ("reports", "cells", "checks")
    }

    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        rows = con.execute("""SELECT title, report_year, doc_format, document_sha256, document_url, page_url,
                                     fetched_at, parser_version, converter, n_missing, n_checks_failed
                              FROM reports""").fetchall()
        assert len(rows) == len(reports) >= 6
        contradicting = next(
            r.report.title
            for r in reports
            if r.report.cells["s4_review_upheld"] is not None
            and r.report.cells["s4_review_total"]
            != sum(r.report.cells[f"s4_review_{k}"] for k in ("upheld", "corrected", "other", "pending"))
        )
        failing = con.execute("SELECT rule FROM checks WHERE result = 'fail'").fetchall()
        assert failing == [("T4_SUM__review",)]
        assert {r[2] for r in rows} >= {"html", "pdf", "docx"}
        for title, year, fmt, sha, doc_url, page_url, fetched, pv, conv, missing, failed in rows:
            assert sha and len(sha) == 64 and doc_url.startswith("http://127.0.0.1") and fetched is not None
            assert page_url.startswith("http://127.0.0.1") and pv and conv
            # the sample reports print every cell; one contradicts itself on purpose and is flagged
            assert missing == 0, title
            assert failed == (1 if title == contradicting else 0), title
        # the generated values arrive exactly
        want = {(r.report.org_name, r.report.report_year): r.report.cells["s3_new_received__total"] for r in reports}
        got = dict(
            ((o, y), v)
            for o, y, v in con.execute(
                "SELECT org_name, report_year, value FROM provenance WHERE cell_key = 's3_new_received__total'"
            ).fetchall()
        )
        assert got == want
        # every cell's provenance reaches the document and the page it came from
        orphans = con.execute(
            "SELECT count(*) FROM provenance WHERE document_url IS NULL OR page_url IS NULL"
        ).fetchone()[0]
        assert orphans == 0
        outcomes = dict(con.execute("SELECT outcome, count(*) FROM fetches GROUP BY ALL").fetchall())
        assert outcomes.get("ok", 0) > 0 and outcomes.get("not_modified", 0) > 0
    finally:
        con.close()
