"""Warehouse load: ``warehouse.loader.load_run`` of the corpus's parse results into an empty DuckDB
warehouse (schema made beforehand, untimed), against DuckDB's bare bulk insert of the same rows (Arrow tables → CREATE TABLE AS, one
transaction) as the floor.

The run around the results is the benchmark corpus itself: one source, one attachment fetch and
one document row per file (its real sha256, size and format), so every report row has its document.
"""

from __future__ import annotations

import json
import time
from datetime import datetime, timezone
from pathlib import Path

RUN_ID = "bench"
FETCHED_AT = "2026-01-01T00:00:00Z"
SOURCE = {
    "id": "bench",
    "name": "benchmark corpus (gongkai.samples)",
    "start_urls": ["http://127.0.0.1/bench/"],
    "allowed_domains": ["127.0.0.1"],
    "cms": "generic",
}


def run_inputs(job: dict) -> tuple[list[dict], list[dict], list[dict]]:
    """fetches, documents and parse results of the corpus documents named in the job."""
    from .corpus import load_corpus

    corpus = load_corpus(job["corpus"])
    docs = [corpus.by_name(n) for n in job["docs"]]
    results = _results(job, docs, corpus)
    fetches, documents = [], []
    for d in docs:
        url = f"http://127.0.0.1/bench/{d.name}"
        fmt = "pdf" if d.fmt in ("scan", "pdf_long") else d.fmt
        fetches.append(
            {
                "run_id": RUN_ID,
                "source_id": "bench",
                "url": url,
                "final_url": url,
                "redirect_chain": [],
                "method": "GET",
                "http_status": 200,
                "fetched_at": FETCHED_AT,
                "sha256": d.sha256,
                "size": d.size,
                "content_type": None,
                "outcome": "ok",
                "kind": "attachment",
                "referer": "http://127.0.0.1/bench/",
                "meta": {},
            }
        )
        documents.append(
            {
                "run_id": RUN_ID,
                "source_id": "bench",
                "sha256": d.sha256,
                "format": fmt,
                "document_url": url,
                "page_url": "http://127.0.0.1/bench/",
                "title": d.name,
                "year_hint": None,
                "fetched_at": FETCHED_AT,
                "store_path": f"corpus/{d.name}",
                "role": "attachment",
                "filename": d.name,
            }
        )
    return fetches, documents, results


def _results(job: dict, docs, corpus) -> list[dict]:
    path = Path(job.get("results") or "")
    wanted = {d.sha256 for d in docs}
    if path.is_file():
        rows = [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]
        rows = [r for r in rows if r.get("sha256") in wanted]
        if {r["sha256"] for r in rows} == wanted:
            return rows
    from .e2e import parse_here  # the end-to-end run left no results: parse here (untimed)

    return [parse_here(str(corpus.path(d)), d.name, d.sha256) for d in docs]


def _rows(fetches, documents, results):
    from warehouse import rows as rowmod

    built = rowmod.build(
        run_id=RUN_ID,
        sources=[SOURCE],
        fetches=fetches,
        documents=documents,
        results=results,
        loaded_at=datetime.now(timezone.utc),
    )
    return built


def load(job: dict) -> dict:
    from warehouse.loader import load_run

    fetches, documents, results = run_inputs(job)
    built = _rows(fetches, documents, results)
    rows = sum(len(v) for v in built.tables.values())
    warm = Path(job["workdir"]) / "load-warm.duckdb"  # untimed: the segmenter's dictionary, the reference digests
    warm.unlink(missing_ok=True)
    load_run(warm, run_id=RUN_ID, sources=[SOURCE], fetches=fetches, documents=documents, results=results)
    warm.unlink(missing_ok=True)
    runs = []
    for r in range(job["repeats"]):
        db = Path(job["workdir"]) / f"load-{r}.duckdb"
        db.unlink(missing_ok=True)
        _create(db)
        walls, summaries = [], []
        for _ in range(2):  # into a fresh file, then the same run again (its reports are there already)
            t0 = time.perf_counter()
            summaries.append(
                load_run(db, run_id=RUN_ID, sources=[SOURCE], fetches=fetches, documents=documents, results=results)
            )
            walls.append(time.perf_counter() - t0)
        first, again = summaries
        runs.append(
            {
                "wall": walls[0],
                "reload_wall": walls[1],
                "reports": first.reports,
                "cells": first.cells,
                "failed": first.failed,
                "reload_unchanged": again.unchanged,
                "problems": list(first.problems)[:5],
                "in_warehouse": _counts(db),
            }
        )
        db.unlink(missing_ok=True)
    return {"rows": rows, "tables": {k: len(v) for k, v in built.tables.items()}, "runs": runs}


def _create(db: Path) -> None:
    """An empty warehouse (schema and reference tables), made once, untimed: a warehouse is created
    once and then loaded run after run; the floor's tables need no schema."""
    from warehouse.connect import connect
    from warehouse.migrate import ensure_schema

    con = connect(db)
    try:
        ensure_schema(con)
    finally:
        con.close()


def _counts(db: Path) -> dict:
    """Rows of the main tables after both loads (the reload must not add any)."""
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    try:
        return {
            t: con.execute(f"SELECT count(*) FROM core.{t}").fetchone()[0] for t in ("reports", "cells", "sections")
        }
    finally:
        con.close()


def load_floor(job: dict) -> dict:
    import duckdb
    import pyarrow as pa

    from warehouse.rows import Columns
    from warehouse.staging import COLUMNS

    fetches, documents, results = run_inputs(job)
    built = _rows(fetches, documents, results)
    tables = {}
    for name, rows in built.tables.items():
        rows = rows.rows() if isinstance(rows, Columns) else rows  # the floor starts from rows, built untimed
        cols = COLUMNS.get(name)
        schema = pa.schema([(c, t) for c, t in cols]) if cols else None
        tables[name] = pa.Table.from_pylist(
            [{c: r.get(c) for c, _ in cols} for r in rows] if cols else rows, schema=schema
        )
    n = sum(t.num_rows for t in tables.values())
    runs = []
    for r in range(job["repeats"] + 1):  # the first, untimed, as our load's warm-up
        db = Path(job["workdir"]) / f"floor-{r}.duckdb"
        db.unlink(missing_ok=True)
        t0 = time.perf_counter()
        con = duckdb.connect(str(db))
        con.execute("BEGIN")
        for name, table in tables.items():
            con.register("src", table)
            con.execute(f'CREATE TABLE "{name}" AS SELECT * FROM src')
            con.unregister("src")
        con.execute("COMMIT")
        con.close()
        runs.append({"wall": time.perf_counter() - t0})
        db.unlink(missing_ok=True)
    return {"rows": n, "runs": runs[1:]}
