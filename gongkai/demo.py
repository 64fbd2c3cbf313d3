"""``gongkai demo``: the main job on embedded defaults, for someone with no internet access.

It builds the bundled sample portal (our own generated reports), serves it on 127.0.0.1, runs the
whole pipeline on it (crawl → convert → parse → load, as a Prefect flow on an ephemeral server) into
``data/warehouse.duckdb`` and prints what landed.
"""

from __future__ import annotations

import shutil
import sys
import time
from pathlib import Path

FAST_CRAWL = {
    "DOWNLOAD_DELAY": 0,
    "AUTOTHROTTLE_START_DELAY": 0,
    "AUTOTHROTTLE_MAX_DELAY": 0.2,
    "DOWNLOAD_DELAY_JITTER": 0,
}


def _say(msg: str) -> None:
    print(f"[demo] {msg}", file=sys.stderr, flush=True)


def main(args) -> int:
    from flows.prefect_env import configure
    from flows.preflight import PreflightError, preflight

    data = Path(args.data)
    try:
        preflight(warehouse=args.warehouse, data_dir=data)
    except PreflightError as err:
        print(f"gongkai demo: {err}", file=sys.stderr)
        return 2
    configure(data)
    from gongkai.samples.demo_site import build_demo_site
    from gongkai.samples.portal import sources_yaml

    demo_dir = data / "demo"
    portal = demo_dir / "portal"
    if portal.exists():
        shutil.rmtree(portal)
    _say("building the sample portal (reports made by gongkai's own generator)…")
    site, reports = build_demo_site(portal)
    with site.serve() as base_url:
        _say(f"serving it at {base_url} (a TRS-style site: home → 政府信息公开 → 政府信息公开年报)")
        sources = demo_dir / "sources.yaml"
        sources.write_text(sources_yaml("demo", base_url, name="示例市人民政府（样例门户）"), encoding="utf-8")
        _say(f"running the pipeline (Prefect flow, ephemeral server) → {args.warehouse}")
        started = time.monotonic()
        from flows.run import SourcesFailed, run_sources

        try:
            summary = run_sources(
                str(sources),
                warehouse=args.warehouse,
                data_dir=str(data),
                crawl_settings=FAST_CRAWL,
                crawl_timeout_s=300,
            )
        except SourcesFailed as err:
            print(f"gongkai demo: {err}", file=sys.stderr)
            return 1
    print_summary(args.warehouse, summary, len(reports), time.monotonic() - started)
    return 0


SUMMARY_SQL = """
SELECT report_year AS year, doc_format AS format, count(*) AS reports,
       sum(n_checks_failed) AS failed_checks, sum(n_missing) AS missing_cells
FROM reports GROUP BY ALL ORDER BY year, format
"""
EXAMPLE_SQL = (
    "SELECT org_name, report_year, value AS applications_received "
    "FROM provenance WHERE cell_key = 's3_new_received__total' ORDER BY report_year"
)


def print_summary(warehouse: str, summary: dict, expected: int, seconds: float) -> None:
    from warehouse.table_format import format_table as render_table
    from warehouse.connect import connect

    conn = connect(warehouse, read_only=True)
    try:
        rows = conn.execute(SUMMARY_SQL)
        names = [d[0] for d in rows.description]
        table = rows.fetchall()
        n_reports = conn.execute("SELECT count(*) FROM reports").fetchone()[0]
        failures = conn.execute(
            "SELECT count(*) FILTER (WHERE origin = 'record'), "
            "count(*) FILTER (WHERE origin <> 'record') FROM rule_failures"
        ).fetchone()
        example = conn.execute(EXAMPLE_SQL)
        ex_names = [d[0] for d in example.description]
        ex_rows = example.fetchall()
    finally:
        conn.close()
    print()
    print("gongkai demo: sample data made by gongkai's own generator (real place names, invented figures)")
    print(
        f"{n_reports} reports in the warehouse ({expected} published on the sample portal), "
        f"{summary['documents']} documents parsed in {seconds:.0f} s"
    )
    print(render_table(names, table))
    print(
        f"table rule failures: {failures[0]}   cross-year warnings: {failures[1]}   "
        f"parse failures: {summary['parse_failed']}"
    )
    print(f"warehouse: {Path(warehouse).resolve()}")
    print()
    print('try:  gongkai sql "' + EXAMPLE_SQL + '"')
    print(render_table(ex_names, ex_rows))
