"""Loading: contract views, provenance, idempotence, failures kept visible, bad input, all-or-nothing."""

import json

import duckdb
import pytest

import wh_records as records
from warehouse import staging
from warehouse.connect import connect
from warehouse.loader import load_run, load_run_dir, retry_list
from warehouse.migrate import migrations
from warehouse.views import PUBLIC_VIEWS

CONTRACT = {
    "reports": {
        "report_id",
        "source_id",
        "org_name",
        "report_year",
        "template",
        "title",
        "document_sha256",
        "document_url",
        "page_url",
        "fetched_at",
        "parser_version",
    },
    "cells": {"report_id", "cell_key", "value", "status", "raw", "locator"},
    "checks": {"report_id", "rule", "severity", "result"},
    "fetches": {"url", "final_url", "http_status", "fetched_at", "sha256", "outcome", "reason"},
}


def counts(conn):
    tables = [
        r[0]
        for r in conn.execute("SELECT table_name FROM duckdb_tables() WHERE schema_name = 'core' ORDER BY 1").fetchall()
    ]
    out = {f"core.{t}": conn.execute(f"SELECT count(*) FROM core.{t}").fetchone()[0] for t in tables}
    out.update({v: conn.execute(f"SELECT count(*) FROM {v}").fetchone()[0] for v in PUBLIC_VIEWS})
    return out


def test_contract_views_have_their_columns(ro):
    for view, cols in CONTRACT.items():
        have = {r[0] for r in ro.execute(f"DESCRIBE {view}").fetchall()}
        assert cols <= have, (view, cols - have)
    types = dict((r[0], r[1]) for r in ro.execute("DESCRIBE cells").fetchall())
    assert types["value"] == "DOUBLE" and types["locator"] == "JSON"


def test_known_counts(ro):
    c = counts(ro)
    assert c["reports"] == 10 and c["core.fetches"] == 27 and c["documents"] == 13
    assert c["parse_failures"] == 2 and c["agencies"] == 5
    # 200 cells for each gov2021 report, 198 for gov2019, 186 for the two hybrids
    assert c["cells"] == 7 * 200 + 198 + 2 * 186
    assert ro.execute("SELECT count(*) FROM reports WHERE is_primary").fetchone()[0] == 9


def test_every_report_has_its_provenance(ro):
    rows = ro.execute(
        "SELECT report_id, document_url, page_url, fetched_at, document_sha256, converter, "
        "parser_version, source_id FROM reports"
    ).fetchall()
    for row in rows:
        assert all(v is not None for v in row), row
        assert row[0] == f"{row[4]}:{row[6]}"


def test_every_cell_reaches_a_url(ro):
    missing = ro.execute(
        "SELECT count(*) FROM provenance WHERE document_url IS NULL OR page_url IS NULL "
        "OR document_http_status IS NULL OR page_http_status IS NULL"
    ).fetchone()[0]
    assert missing == 0
    assert (
        ro.execute("SELECT count(*) FROM provenance").fetchone()[0]
        == ro.execute("SELECT count(*) FROM cells").fetchone()[0]
    )


def test_blank_stays_missing_and_imputed_is_marked(ro):
    z22d = records.sha("Z22D") + ":0.1.0"
    vals = ro.execute(
        "SELECT value, status, raw FROM cells WHERE report_id = ? AND cell_key LIKE 's3_denied_third_party_rights__%'",
        [z22d],
    ).fetchall()
    assert len(vals) == 7 and all(v == (None, "missing", "") for v in vals)
    z22 = records.sha("Z22") + ":0.1.0"
    assert ro.execute(
        "SELECT value, status, rule FROM cells WHERE report_id = ? AND cell_key = 's3_granted__total'", [z22]
    ).fetchone() == (15.0, "imputed", "T3_ROWSUM__granted")
    # the contradiction is kept as printed and flagged, not corrected
    h23 = records.sha("H23") + ":0.1.0"
    assert ro.execute(
        "SELECT value FROM cells WHERE report_id = ? AND cell_key = 's4_review_total'", [h23]
    ).fetchone() == (0.0,)
    assert ro.execute(
        "SELECT result FROM checks WHERE report_id = ? AND rule = 'T4_SUM__review'", [h23]
    ).fetchone() == ("fail",)


def test_duplicate_copy_is_not_primary(ro):
    rows = dict(
        ro.execute(
            "SELECT document_sha256, is_primary FROM reports WHERE agency_id = '330211:卫生健康局' "
            "AND report_year = 2022"
        ).fetchall()
    )
    assert rows == {records.sha("Z22"): True, records.sha("Z22D"): False}


def test_keys_are_unique(ro):
    for table, keys in staging.MERGE_KEYS.items():
        cols = ", ".join(keys)
        dup = ro.execute(
            f"SELECT count(*) FROM (SELECT {cols} FROM core.{table} GROUP BY ALL HAVING count(*) > 1)"
        ).fetchone()[0]
        assert dup == 0, table


def test_staged_columns_match_the_tables(ro):
    for table, cols in staging.COLUMNS.items():
        have = [r[0] for r in ro.execute(f"DESCRIBE core.{table}").fetchall()]
        assert have == [c for c, _ in cols], table


def test_loading_twice_converges(tmp_path, known_run):
    db = tmp_path / "w.duckdb"
    first = load_run(db, **known_run)
    with connect(db, read_only=True) as conn:
        before = counts(conn)
        cells_before = conn.execute("SELECT report_id, cell_key, value, status FROM cells ORDER BY 1, 2").fetchall()
    second = load_run(db, **known_run)
    with connect(db, read_only=True) as conn:
        assert counts(conn) == before
        assert (
            conn.execute("SELECT report_id, cell_key, value, status FROM cells ORDER BY 1, 2").fetchall()
            == cells_before
        )
        assert [r[0] for r in conn.execute("SELECT version FROM schema_migrations ORDER BY 1").fetchall()] == [
            m.version for m in migrations()
        ]
    assert (first.reports, first.failed, first.invalid) == (second.reports, second.failed, second.invalid) == (10, 2, 1)
    assert set(first.retry) == {records.sha("FAIL1"), records.sha("BAD1"), records.sha("NOPARSE")}


def test_failed_document_succeeds_on_retry(tmp_path, known_run):
    db = tmp_path / "w.duckdb"
    load_run(db, **known_run)
    fixed = records.record("FAIL1", org="淮安市洪泽区人民政府", year=2022)
    again = load_run(db, run_id="run-retry", sources=[], fetches=[], documents=[], results=[records.ok(fixed)])
    assert again.reports == 1 and again.retry == ()
    left = {r["sha256"] for r in retry_list(db)}
    assert left == {records.sha("BAD1"), records.sha("NOPARSE")}
    with connect(db, read_only=True) as conn:
        row = conn.execute(
            "SELECT agency_id, document_url, is_primary FROM reports WHERE document_sha256 = ?", [records.sha("FAIL1")]
        ).fetchone()
        # the source registry and the document sighting of the first run still apply
        assert row == ("320813:人民政府", "http://127.0.0.1:8001/hongze/files/fail1.pdf", True)


def test_retry_keeps_the_agency_of_the_first_load(tmp_path, known_run):
    db = tmp_path / "w.duckdb"
    run = dict(known_run, results=[r for r in known_run["results"] if r["sha256"] != records.sha("NOPARSE")])
    load_run(db, **run)
    # 宁安's 2021 report parsed later, alone: its source (no region) and the name alone say nothing,
    # so the agency scope must still be the source of the first sighting
    rec = records.record("NOPARSE", org="卫生健康局", year=2021)
    load_run(db, run_id="run-later", sources=[], fetches=[], documents=[], results=[records.ok(rec)])
    with connect(db, read_only=True) as conn:
        assert conn.execute(
            "SELECT agency_id, source_id FROM reports WHERE document_sha256 = ?", [records.sha("NOPARSE")]
        ).fetchone() == ("src=ningan:卫生健康局", "ningan")


def test_newer_parser_version_takes_over(tmp_path, known_run):
    """Versions are code digests (pipeline/version.py): the parse loaded last is the newest, whatever
    its version string sorts like ("0.0.1" sorts below "0.1.0" both as text and as numbers)."""
    db = tmp_path / "w.duckdb"
    load_run(db, **known_run)
    rec = records.record(
        "P22",
        org="平潭综合实验区管委会",
        year=2022,
        s3={
            "carried_over": {"natural_person": 3},
            "new_received": {"natural_person": 40},
            "granted": {"natural_person": 39},
            "carried_forward": {"natural_person": 4},
        },
    )
    res = dict(records.ok(rec), parser_version="0.0.1")
    load_run(db, run_id="run-reparse", sources=[], fetches=[], documents=[], results=[res])
    with connect(db, read_only=True) as conn:
        rows = conn.execute(
            "SELECT parser_version, is_latest_parse, is_primary FROM reports "
            "WHERE document_sha256 = ? ORDER BY parser_version",
            [records.sha("P22")],
        ).fetchall()
        assert rows == [("0.0.1", True, True), ("0.1.0", False, False)]
        fails = conn.execute("SELECT rule FROM rule_failures WHERE origin = 'warehouse' ORDER BY rule").fetchall()
        assert fails == [("XYEAR_IN_FORCE__normative_doc",)]  # the carry-over now matches 2021


def test_a_report_lands_whole_or_not_at_all(tmp_path, known_run):
    db = tmp_path / "w.duckdb"
    load_run(db, **known_run)
    with connect(db, read_only=True) as conn:
        before = counts(conn)
    broken = records.record("NEW1", org="郑州市卫生健康委员会", year=2023)
    broken["checks"].append({"rule": "X", "severity": "error", "result": "maybe"})
    summary = load_run(db, run_id="run-broken", sources=[], fetches=[], documents=[], results=[records.ok(broken)])
    assert (summary.reports, summary.failed, summary.invalid) == (0, 1, 1)
    with connect(db, read_only=True) as conn:
        after = counts(conn)
        assert (
            conn.execute(
                "SELECT count(*) FROM core.cells WHERE report_id LIKE ?", [records.sha("NEW1") + "%"]
            ).fetchone()[0]
            == 0
        )
        assert conn.execute(
            "SELECT error_kind, error FROM parse_failures WHERE sha256 = ?", [records.sha("NEW1")]
        ).fetchone() == ("invalid_record", "record rejected by the warehouse: checks[42].result is 'maybe'")
    assert after["core.parse_results"] == before["core.parse_results"] + 1
    assert after["cells"] == before["cells"] and after["reports"] == before["reports"]


def test_a_failing_merge_changes_nothing(tmp_path, known_run, monkeypatch):
    db = tmp_path / "w.duckdb"
    load_run(db, **known_run)
    with connect(db, read_only=True) as conn:
        before = counts(conn)
    real = staging._merge_sql

    def failing(name):  # runs are merged last, after every report, cell and section went in
        if name == "runs":
            return "SELECT no_such_column FROM core.runs"
        return real(name)

    monkeypatch.setattr(staging, "_merge_sql", failing)
    more = records.run(run_id="run-other", tag="other-")
    with pytest.raises(duckdb.Error):
        load_run(db, **more)
    with connect(db, read_only=True) as conn:
        assert counts(conn) == before


def test_load_run_dir_reads_the_on_disk_contract(tmp_path, known_run):
    run_dir = tmp_path / "runs" / known_run["run_id"]
    parsed = tmp_path / "parsed"
    parsed.mkdir()
    for source in {d["source_id"] for d in known_run["documents"]}:
        d = run_dir / source
        d.mkdir(parents=True)
        with (d / "fetches.jsonl").open("w", encoding="utf-8") as fh:
            for f in known_run["fetches"]:
                if f["source_id"] == source:
                    fh.write(json.dumps(f, ensure_ascii=False) + "\n")
            fh.write("{not json\n")
        with (d / "documents.jsonl").open("w", encoding="utf-8") as fh:
            for doc in known_run["documents"]:
                if doc["source_id"] == source:
                    fh.write(json.dumps(doc, ensure_ascii=False) + "\n")
    for res in known_run["results"]:
        (parsed / f"{res['sha256']}.{res['parser_version']}.json").write_text(json.dumps(res, ensure_ascii=False))
    (parsed / f"{records.sha('Z21')}.0.0.9.json").write_text("{truncated")
    (parsed / f"{'f' * 64}.0.1.0.json").write_text("{}")  # not a document of this run: ignored
    db = tmp_path / "w.duckdb"
    summary = load_run_dir(db, run_dir, parsed, sources=known_run["sources"])
    assert (summary.reports, summary.failed, summary.documents, summary.fetches) == (10, 2, 13, 27)
    assert len([p for p in summary.problems if "not JSON" in p]) == 5
    assert any("unreadable parse result" in p for p in summary.problems)
    with connect(db, read_only=True) as conn:
        assert conn.execute("SELECT count(*) FROM provenance WHERE page_url IS NULL").fetchone()[0] == 0
        assert conn.execute("SELECT region FROM core.sources WHERE source_id = 'pingtan'").fetchone() == ("350128",)


def test_bad_lines_are_reported_not_fatal(tmp_path):
    db = tmp_path / "w.duckdb"
    summary = load_run(
        db,
        run_id="r",
        sources=[{"name": "no id"}],
        fetches=[{"url": None}, {"url": "http://127.0.0.1/x", "fetched_at": "yesterday"}],
        documents=[{"format": "pdf"}],
        results=[{"status": "ok"}, {"sha256": "a" * 64, "parser_version": "0.1.0", "status": "weird"}],
    )
    assert summary.reports == 0 and summary.failed == 1 and len(summary.problems) == 5
    assert all("\n" not in p for p in summary.problems)


def test_ocr_and_suspect_cells_reach_the_cells_view(tmp_path, known_run):
    """A scanned report's cells say they were OCR'd, and which are in doubt (migration 005)."""
    run = json.loads(json.dumps(known_run))
    rec = next(r["record"] for r in run["results"] if r["record"] and r["record"]["cells"])
    key, cell = next((k, c) for k, c in rec["cells"].items() if c["status"] == "read")
    cell.update({"confidence": 0.45, "ocr": True, "suspect": "OCR readings disagree or are unsure (confidence 0.45)"})
    other = next(k for k, c in rec["cells"].items() if c["status"] == "read" and k != key)
    rec["cells"][other].update({"confidence": 0.99, "ocr": True})
    db = tmp_path / "w.duckdb"
    load_run(db, **run)
    with connect(db, read_only=True) as conn:
        got = dict(
            (k, (o, s))
            for k, o, s in conn.execute(
                "SELECT cell_key, ocr, suspect FROM cells WHERE report_id LIKE ? AND cell_key IN (?, ?)",
                [rec["document"]["sha256"] + ":%", key, other],
            ).fetchall()
        )
        assert got[key] == (True, "OCR readings disagree or are unsure (confidence 0.45)")
        assert got[other] == (True, None)
        assert conn.execute("SELECT count(*) FROM cells WHERE ocr").fetchone()[0] == 2
        assert conn.execute("SELECT count(*) FROM cells WHERE ocr IS NULL").fetchone()[0] == 0


def test_a_report_loaded_before_is_left_as_it_is(tmp_path, known_run):
    """Loading the same run again writes no report row twice and rewrites none: a report id is the
    document's sha256 and the parser version, so the rows would be the same."""
    db = tmp_path / "w.duckdb"
    first = load_run(db, **known_run)
    with connect(db, read_only=True) as conn:
        stamps = conn.execute("SELECT report_id, run_id, loaded_at FROM core.reports ORDER BY 1").fetchall()
    again = load_run(db, **dict(known_run, run_id="run-again"))
    assert (again.reports, again.unchanged, again.cells) == (first.reports, first.reports, 0)
    assert "(10 already there)" in again.lines()[0]
    with connect(db, read_only=True) as conn:
        assert conn.execute("SELECT report_id, run_id, loaded_at FROM core.reports ORDER BY 1").fetchall() == stamps
        assert conn.execute("SELECT n_reports FROM core.runs WHERE run_id = 'run-again'").fetchone() == (10,)


def test_a_report_another_writer_loaded_meanwhile_stays_once(tmp_path, known_run):
    """Rows built before another writer committed the same reports (a DuckLake has several): the
    transaction sees them and writes neither the reports nor their children again."""
    from warehouse.loader import load_staged, stage_run

    db = tmp_path / "w.duckdb"
    staged, _ = stage_run(None, **known_run)  # built as if the warehouse held none of them
    load_run(db, **known_run)
    with connect(db, read_only=True) as conn:
        before = counts(conn)
    load_staged(db, staged)
    with connect(db, read_only=True) as conn:
        assert counts(conn) == before
        dup = conn.execute("SELECT count(*) - count(DISTINCT (report_id, cell_key)) FROM core.cells").fetchone()
        assert dup == (0,)
