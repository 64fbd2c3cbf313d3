"""Load a run into the warehouse: rows → staged Parquet → MERGE, in one transaction; idempotent.

Keys are deterministic (a report is ``<document sha256>:<parser version>``), so loading the same run
again converges to the same rows. Used by the Prefect load flow and by ``gongkai run``.
"""

from __future__ import annotations

import dataclasses
import json
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable, Collection, Iterable, Iterator

import duckdb

from warehouse import rows as rowmod
from warehouse.connect import connect
from warehouse.migrate import ensure_schema
from warehouse.staging import Staged, merge, stage
from warehouse.target import Target, parse_target
from warehouse.transact import in_transaction


@dataclass(frozen=True, slots=True)
class LoadSummary:
    run_id: str
    warehouse: str
    sources: int
    fetches: int
    documents: int
    results: int
    reports: int  # successful parses of the run in the warehouse (with their cells, checks and sections)
    cells: int  # cells written by this load (none for reports the warehouse already held)
    failed: int  # parse results recorded as failed (incl. records the warehouse rejected)
    invalid: int  # of which: records that broke the contract
    retry: tuple[str, ...]  # sha256 of documents to parse again (failed, or never parsed)
    problems: tuple[str, ...]  # input lines that could not be used, one line each
    transaction_retries: int
    seconds: float
    unchanged: int = 0  # of ``reports``: already in the warehouse, left as they were

    def lines(self) -> list[str]:
        out = [
            f"loaded run {self.run_id} into {self.warehouse}: {self.reports} reports"
            + (f" ({self.unchanged} already there)" if self.unchanged else "")
            + f", {self.cells} cells, "
            f"{self.failed} failed parses, {self.documents} documents, {self.fetches} fetches "
            f"({self.seconds:.1f}s)"
        ]
        if self.retry:
            out.append(f"{len(self.retry)} documents to retry (see the parse_failures view)")
        out += [f"skipped: {p}" for p in self.problems]
        return out


def stage_run(
    staging_dir: str | Path | None,
    *,
    run_id: str,
    sources: list[dict[str, Any]],
    fetches: Iterable[dict[str, Any]],
    documents: Iterable[dict[str, Any]],
    results: Iterable[dict[str, Any]],
    registry: dict[str, dict[str, Any]] | None = None,
    sightings: dict[str, dict[str, Any]] | None = None,
    present: Collection[str] = (),
) -> tuple[Staged, rowmod.RunRows]:
    """Turn a run into Arrow tables (the input of the MERGE), with Parquet copies under ``staging_dir``
    when one is given; ``present``: report ids already loaded (``rows.build``)."""
    loaded_at = datetime.now(timezone.utc)
    built = rowmod.build(
        run_id=run_id,
        sources=sources or [],
        fetches=fetches,
        documents=documents,
        results=results,
        loaded_at=loaded_at,
        registry=registry,
        sightings=sightings,
        present=present,
    )
    t = built.tables
    t["runs"] = [
        {
            "run_id": run_id,
            "loaded_at": loaded_at,
            "n_sources": len(t.get("sources", [])),
            "n_fetches": len(t.get("fetches", [])),
            "n_documents": len(t.get("documents", [])),
            "n_results": len(t.get("parse_results", [])),
            "n_reports": len(t.get("reports", [])) + len(built.present),
            "n_failed": len(built.failed),
        }
    ]
    return stage(run_id, t, Path(staging_dir) if staging_dir else None), built


def load_staged(
    target: Target | str | Path,
    staged: Staged,
    before_commit: Callable[[duckdb.DuckDBPyConnection], None] | None = None,
) -> int:
    """MERGE staged tables in one transaction (retried on DuckLake write conflicts); returns the retries.
    ``before_commit(conn)`` runs inside that transaction after the MERGE (the crash tests pause there)."""
    conn = connect(target if isinstance(target, Target) else parse_target(target))
    try:
        ensure_schema(conn)
        return _write(conn, staged, before_commit)
    finally:
        conn.close()


def _write(
    conn: duckdb.DuckDBPyConnection, staged: Staged, before_commit: Callable[[duckdb.DuckDBPyConnection], None] | None
) -> int:
    def work(c: duckdb.DuckDBPyConnection) -> None:
        merge(c, staged)
        if before_commit is not None:
            before_commit(c)

    _, retries = in_transaction(conn, work)
    return retries


def known_context(
    conn: duckdb.DuckDBPyConnection, shas: set[str]
) -> tuple[dict[str, dict[str, Any]], dict[str, dict[str, Any]]]:
    """What earlier loads registered: sources (id → {"id", "region"}) and where these documents were first seen."""
    sources = {
        sid: {"id": sid, "region": region}
        for sid, region in conn.execute("SELECT source_id, region FROM core.sources").fetchall()
    }
    seen = {}
    if shas:
        rows = conn.execute(
            "SELECT sha256, source_id FROM document_first_seen WHERE list_contains(?, sha256)", [sorted(shas)]
        ).fetchall()
        seen = {sha: {"sha256": sha, "source_id": sid} for sha, sid in rows}
    return sources, seen


def loaded_reports(conn: duckdb.DuckDBPyConnection, results: list[dict[str, Any]]) -> set[str]:
    """Which report ids of these successful results the warehouse already holds (one query)."""
    ids = sorted(
        rowmod.report_id(r["sha256"], str(r["parser_version"]))
        for r in results
        if isinstance(r, dict) and r.get("status") == "ok" and r.get("sha256") and r.get("parser_version")
    )
    if not ids:
        return set()
    rows = conn.execute("SELECT report_id FROM core.reports WHERE report_id IN (SELECT unnest(?))", [ids]).fetchall()
    return {r[0] for r in rows}


def load_run(
    db_path: str | Path,
    *,
    run_id: str,
    sources: list[dict[str, Any]],
    fetches: Iterable[dict[str, Any]],
    documents: Iterable[dict[str, Any]],
    results: Iterable[dict[str, Any]],
    staging_dir: str | Path | None = None,
    before_commit: Callable[[duckdb.DuckDBPyConnection], None] | None = None,
) -> LoadSummary:
    """Load one run: ``fetches``/``documents`` as in docs/architecture.md, ``results`` parse results
    (``before_commit``: see ``load_staged``). One connection: schema, what earlier loads registered,
    then the run's rows in one transaction."""
    started = time.monotonic()
    target = parse_target(db_path)
    fetches, documents, results = list(fetches), list(documents), list(results)
    conn = connect(target)
    try:
        ensure_schema(conn)
        shas = {r["sha256"] for r in results if isinstance(r, dict) and isinstance(r.get("sha256"), str)}
        registry, sightings = known_context(conn, shas - {d.get("sha256") for d in documents if isinstance(d, dict)})
        present = loaded_reports(conn, results)
        staged, built = stage_run(
            Path(staging_dir) / run_id if staging_dir else None,
            run_id=run_id,
            sources=sources,
            fetches=fetches,
            documents=documents,
            results=results,
            registry=registry,
            sightings=sightings,
            present=present,
        )
        retries = _write(conn, staged, before_commit)
    finally:
        conn.close()
    t = built.tables
    parsed_ok = {r["sha256"] for r in built.listed("parse_results") if r["status"] == "ok"}
    # a page's images (role page_image) are parsed with their page, never on their own
    never = {d["sha256"] for d in built.listed("documents") if d.get("role") != "page_image"} - {
        r["sha256"] for r in built.listed("parse_results")
    }
    retry = sorted((set(built.failed) - parsed_ok) | never)
    return LoadSummary(
        run_id=run_id,
        warehouse=target.describe(),
        sources=len(t.get("sources", [])),
        fetches=len(t.get("fetches", [])),
        documents=len(t.get("documents", [])),
        results=len(t.get("parse_results", [])),
        reports=len(t.get("reports", [])) + len(built.present),
        cells=len(t.get("cells", [])),
        failed=len(built.failed),
        invalid=built.invalid,
        retry=tuple(retry),
        problems=tuple(built.problems),
        transaction_retries=retries,
        seconds=time.monotonic() - started,
        unchanged=len(built.present),
    )


def _jsonl(path: Path, problems: list[str]) -> Iterator[dict[str, Any]]:
    with path.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as err:
                problems.append(f"{path.name}:{n}: not JSON ({err.msg})")
                continue
            if isinstance(obj, dict):
                yield obj
            else:
                problems.append(f"{path.name}:{n}: not a JSON object")


def read_run_dir(
    run_dir: str | Path, results_dir: str | Path
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]], list[str]]:
    """fetches, documents and the parse results of those documents, plus unreadable lines/files."""
    run_dir, results_dir = Path(run_dir), Path(results_dir)
    if not run_dir.is_dir():
        raise FileNotFoundError(f"no run directory {run_dir}")
    problems: list[str] = []
    fetches: list[dict[str, Any]] = []
    documents: list[dict[str, Any]] = []
    for source_dir in sorted(p for p in run_dir.iterdir() if p.is_dir()):
        for name, sink in (("fetches.jsonl", fetches), ("documents.jsonl", documents)):
            path = source_dir / name
            if path.exists():
                for obj in _jsonl(path, problems):
                    obj.setdefault("source_id", source_dir.name)
                    obj.setdefault("run_id", run_dir.name)
                    sink.append(obj)
    results = []
    wanted = {d.get("sha256") for d in documents}
    if results_dir.is_dir():
        for path in sorted(results_dir.glob("*.json")):
            if path.name.split(".", 1)[0] not in wanted:
                continue
            try:
                obj = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, json.JSONDecodeError) as err:
                problems.append(f"{path.name}: unreadable parse result ({err})")
                continue
            results.append(obj)
    return fetches, documents, results, problems


def load_run_dir(
    db_path: str | Path,
    run_dir: str | Path,
    results_dir: str | Path,
    *,
    sources: list[dict[str, Any]] | None = None,
    staging_dir: str | Path | None = None,
) -> LoadSummary:
    """Load ``data/runs/<run_id>/`` with the cached parse results of its documents (``data/parsed/``)."""
    run_dir = Path(run_dir)
    fetches, documents, results, problems = read_run_dir(run_dir, results_dir)
    if sources is None:
        sources = [{"id": p.name} for p in sorted(run_dir.iterdir()) if p.is_dir()]
    summary = load_run(
        db_path,
        run_id=run_dir.name,
        sources=sources,
        fetches=fetches,
        documents=documents,
        results=results,
        staging_dir=staging_dir,
    )
    if problems:
        summary = dataclasses.replace(summary, problems=tuple(problems) + summary.problems)
    return summary


def retry_list(db_path: str | Path) -> list[dict[str, Any]]:
    """Documents to parse again: the newest parse failed, or none was loaded."""
    conn = connect(db_path, read_only=True)
    try:
        cur = conn.execute(
            "SELECT sha256, parse_status, parser_version, error_kind, error, document_url, "
            "store_path FROM documents WHERE parse_status <> 'ok' ORDER BY sha256"
        )
        names = [d[0] for d in cur.description]
        return [dict(zip(names, r)) for r in cur.fetchall()]
    finally:
        conn.close()
