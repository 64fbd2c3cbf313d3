"""One agency across template changes: Pingtan's real reports for 2013 and 2018 (free-form), 2019
(gov2019) and 2022–2025 (gov2021) land in the warehouse as one agency with its time series."""

import hashlib
import re

import duckdb
import pytest

from pipeline.api import parse_bytes
from pipeline.record import PARSER_VERSION
from warehouse.loader import load_run

PAGES = {
    "pingtan_80759.html": 2013,
    "pingtan_80529.html": 2018,
    "pingtan_80576.html": 2019,
    "pingtan_80629.html": 2022,
    "pingtan_87885.html": 2023,
    "pingtan_97791.html": 2024,
    "pingtan_105587.html": 2025,
}


def _meta(html: str, name: str) -> str | None:
    m = re.search(rf'<meta name="{name}" content="([^"]*)"', html)
    return m.group(1) if m else None


def test_pingtan_time_series(corpus, tmp_path):
    paths = [corpus / "real" / n for n in PAGES]
    if not all(p.exists() for p in paths):
        pytest.skip("the Pingtan pages are not all in this corpus")
    fetches, documents, results = [], [], []
    for path in paths:
        data = path.read_bytes()
        sha = hashlib.sha256(data).hexdigest()
        url = _meta(data.decode("utf-8"), "Url") or f"https://www.pingtan.gov.cn/{path.name}"
        fetches.append(
            {
                "run_id": "r1",
                "source_id": "pingtan",
                "url": url,
                "final_url": url,
                "redirect_chain": [],
                "method": "GET",
                "http_status": 200,
                "fetched_at": "2026-01-01T00:00:00Z",
                "sha256": sha,
                "size": len(data),
                "content_type": "text/html",
                "outcome": "ok",
                "reason": None,
                "kind": "article",
                "meta": {},
            }
        )
        documents.append(
            {
                "run_id": "r1",
                "source_id": "pingtan",
                "sha256": sha,
                "format": "html",
                "document_url": url,
                "page_url": url,
                "title": None,
                "year_hint": PAGES[path.name],
                "fetched_at": "2026-01-01T00:00:00Z",
                "store_path": f"store/{sha}",
                "role": "page",
            }
        )
        record = parse_bytes(data, path.name)
        results.append(
            {
                "sha256": sha,
                "parser_version": PARSER_VERSION,
                "status": "ok",
                "error": None,
                "error_kind": None,
                "record": record.to_dict(),
            }
        )
    db = tmp_path / "w.duckdb"
    load_run(
        db,
        run_id="r1",
        sources=[{"id": "pingtan", "name": "平潭综合实验区管委会", "region": "350128"}],
        fetches=fetches,
        documents=documents,
        results=results,
    )
    con = duckdb.connect(str(db), read_only=True)
    try:
        rows = con.execute("SELECT report_year, template FROM reports ORDER BY report_year").fetchall()
        assert rows == [
            (2013, "pre2019"),
            (2018, "pre2019"),
            (2019, "gov2019"),
            (2022, "gov2021"),
            (2023, "gov2021"),
            (2024, "gov2021"),
            (2025, "gov2021"),
        ]
        agencies = con.execute("SELECT agency_id, adcode, years FROM agencies").fetchall()
        assert len(agencies) == 1 and agencies[0][1] == "350128"
        assert list(agencies[0][2]) == sorted(PAGES.values())
        # the narrative totals of every year, free-form or templated, in one series
        series = dict(
            con.execute("""SELECT r.report_year, n.value FROM narrative n JOIN reports r USING (report_id)
                                     WHERE n.figure_key = 'n_active_disclosed_total'""").fetchall()
        )
        assert series[2013] == 4970 and series[2018] == 2069 and series[2019] == 2599 and series[2022] == 14571
        # table rules pass for every templated year; the cross-year rules are evaluated in SQL
        failed = con.execute("SELECT count(*) FROM checks WHERE severity = 'error' AND result = 'fail'").fetchone()[0]
        assert failed == 0
        xyear = con.execute("SELECT DISTINCT report_year FROM xyear_checks WHERE rule LIKE 'XYEAR_CARRY%'").fetchall()
        assert {y for (y,) in xyear} >= {2023, 2024, 2025}
    finally:
        con.close()
