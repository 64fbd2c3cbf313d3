"""kill -9 of `gongkai run` (its whole process group: the CLI, its temporary Prefect server, the
crawl subprocesses, the parse workers) during the crawl, then during the parsing, then during the
load, each time followed by the same command; the last one must reach what an uninterrupted run on a
fresh data directory reaches (run meanwhile, in a thread), with no partial report at any point.

Compared, as rows and a digest of their content: reports, cells, checks, narrative, sections,
documents, parse_failures, agencies, provenance. Not compared: fetches and the per-run document
sightings (the killed attempts' responses are kept beside the last one's) and load times."""

from __future__ import annotations

import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.crash.runner import Pipeline, content, ledger, lines, partial, query, read_every_table, summary_line

pytestmark = pytest.mark.slow

SOURCES = ("jia", "yi")
RUN_TABLES = (
    "runs",
    "sources",
    "fetches",
    "documents",
    "parse_results",
    "agencies",
    "reports",
    "cells",
    "checks",
    "narrative",
    "sections",
)  # the rest is reference data, refreshed by the migrations


def _pipeline(portals, root: Path) -> Pipeline:
    return Pipeline(portals.sources, root / "data", root / "warehouse.duckdb", root / "prefect-home")


def _clean(portals, root: Path) -> dict:
    """An uninterrupted run on a fresh data directory (and a PREFECT_HOME of its own)."""
    p = _pipeline(portals, root)
    rc, out = p.run("clean")
    assert rc == 0, out[-3000:]
    n = portals.documents
    assert f"{n} documents, {n - 1} parsed ({n} now, 0 from the cache), 1 failed" in summary_line(out)
    assert query(p.warehouse, "SELECT source_id, org_name, report_year FROM reports ORDER BY ALL") == portals.reports
    assert partial(p.warehouse) == {}
    return content(p.warehouse)


def _saved(parsed: Path) -> dict[str, str]:
    """sha256 → status of the parse results in DATA/parsed."""
    return {
        f.name.split(".", 1)[0]: ("ok" if '"status": "ok"' in f.read_text("utf-8") else "failed")
        for f in parsed.glob("*.json")
    }


def test_killed_during_crawl_parse_and_load_then_rerun(portals, tmp_path):
    with ThreadPoolExecutor(1) as pool:
        clean = pool.submit(_clean, portals, tmp_path / "clean")
        p = _pipeline(portals, tmp_path / "killed")
        runs, parsed, results = p.data / "runs" / p.run_id, p.data / "parsed", p.data / "prefect-results"
        n = portals.documents

        # 1. during the crawl: a source has listed a document and its crawl has not finished
        p.kill_when(
            lambda: any(
                lines(runs / s / "documents.jsonl") >= 1 and not (runs / s / "stats.json").exists() for s in SOURCES
            ),
            "crawl",
        )
        assert not p.warehouse.exists()

        # 2. the same command, killed during the parsing: some documents parsed and saved, the last
        # ones held inside the parse workers (GONGKAI_TEST_PAUSE=parse@<k>: k parses pass). The
        # source killed mid-crawl has not parsed its two or three documents yet, so at least two are
        # left; k leaves two of them (one, if step 1 saved a result but was killed before listing it)
        left = n - sum(status == "ok" for status in _saved(parsed).values())
        k = max(0, left - 2)
        started = time.time()
        pause = tmp_path / "pause-parse"

        def mid_parse() -> bool:  # k parses saved by this command, the next one paused in a worker
            fresh = [f for f in parsed.glob("*.json") if f.stat().st_mtime >= started]
            return any(pause.glob("parse.paused.*")) and len(fresh) >= k

        out = p.kill_when(mid_parse, "parse", GONGKAI_TEST_PAUSE=f"parse@{k}", GONGKAI_TEST_PAUSE_DIR=str(pause))
        # the killed crawl was not resumed from its JOBDIR (Scrapy saves its queue only when it closes): it started again
        assert "JOBDIR restart" in out
        assert not p.warehouse.exists()
        ok = {sha for sha, status in _saved(parsed).items() if status == "ok"}
        assert ok
        # a kill while Prefect writes a cached result (its write is not atomic) leaves a torn file: one
        # is cut here; it must count as not cached (parsed again), never as a failure
        torn = sorted(ok)[0]
        cached = next(results.glob(f"parse-{torn}-*"))
        cached.write_bytes(cached.read_bytes()[:40])

        # 3. the same command, killed inside the load's transaction, every table merged (GONGKAI_TEST_PAUSE=load)
        parses_before = len(ledger(p.data))
        pause = tmp_path / "pause-load"
        p.kill_when(
            lambda: any(pause.glob("load.paused.*")),
            "load",
            GONGKAI_TEST_PAUSE="load",
            GONGKAI_TEST_PAUSE_DIR=str(pause),
        )
        third = Counter(e["sha256"] for e in ledger(p.data)[parses_before:])
        everything = set(_saved(parsed))
        assert len(everything) == n
        assert third == Counter(everything - (ok - {torn}))  # the cached results were not parsed again
        # nothing of the killed load is in the file, which opens, reads whole and checkpoints
        tables = read_every_table(p.warehouse)
        assert {t: tables[t] for t in RUN_TABLES if tables[t]} == {}, tables
        assert partial(p.warehouse) == {}

        # 4. the same command, to the end
        parses_before = len(ledger(p.data))
        rc, out = p.run("last")
        assert rc == 0, out[-3000:]
        assert f"{n} documents, {n - 1} parsed (1 now, {n - 1} from the cache), 1 failed" in summary_line(out)
        broken = {sha for sha, status in _saved(parsed).items() if status == "failed"}
        assert [e["sha256"] for e in ledger(p.data)[parses_before:]] == sorted(broken)  # only it, again
        assert partial(p.warehouse) == {}
        got, want = content(p.warehouse), clean.result()
    assert {k: v[0] for k, v in got.items()} == {k: v[0] for k, v in want.items()}  # the counts first
    assert got == want
