"""The ``gongkai-run`` flow: collect every source, parse every new document, load the run."""
from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

from prefect import flow, get_run_logger
from prefect.futures import wait
from prefect.task_runners import ThreadPoolTaskRunner

from crawler.sources import load_sources
from . import limits
from .collect import collect_source, host_of
from .load import load_results
from .process import DocumentFailed, parse_document


class SourcesFailed(RuntimeError):
    pass


def _run_id() -> str:
    from prefect.runtime import flow_run

    rid = flow_run.id
    if rid:
        return f"run-{str(rid)[:8]}"  # stable across retries of the same flow run
    return datetime.now(timezone.utc).strftime("run-%Y%m%dT%H%M%S")


def _jsonl(path: Path) -> list[dict]:
    if not path.exists():
        return []
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line:
            try:
                out.append(json.loads(line))
            except json.JSONDecodeError:
                continue
    return out


def without_container_pages(documents: list[dict]) -> list[dict]:
    """Article pages whose report is in their attachments (no table on the page) are not documents
    of their own: their fetch is recorded, the attachments are parsed."""
    with_files = {d.get("page_url") for d in documents if d.get("role") == "attachment"}
    return [d for d in documents
            if not (d.get("role") == "page" and d.get("has_table") is False and d.get("document_url") in with_files)]


def _failure(exc: BaseException, doc: dict) -> dict:
    if isinstance(exc, DocumentFailed):
        return exc.result
    from pipeline.record import PARSER_VERSION
    return {"sha256": doc["sha256"], "parser_version": PARSER_VERSION, "status": "failed",
            "error": f"{type(exc).__name__}: {exc}"[:500], "error_kind": "internal", "record": None}


@flow(name="gongkai-run", task_runner=ThreadPoolTaskRunner(max_workers=4), log_prints=True)
def run_sources(sources_file: str, warehouse: str = "data/warehouse.duckdb", data_dir: str = "data",
                years: list[int] | None = None, run_id: str | None = None,
                crawl_settings: dict | None = None, crawl_timeout_s: float = 1800.0) -> dict:
    logger = get_run_logger()
    sources_file = str(Path(sources_file).resolve())
    data = Path(data_dir).resolve()
    sf = load_sources(sources_file)
    run_id = run_id or _run_id()
    hosts = {s.id: host_of(s.start_urls[0]) for s in sf.sources}
    limits.ensure({limits.WRITER: 1, **{limits.host_limit(h): 1 for h in set(hosts.values())}})

    logger.info("run %s: %d sources → %s", run_id, len(sf.sources), warehouse)
    futures = {s.id: collect_source.submit(sources_file, s.id, run_id, str(data), hosts[s.id],
                                           timeout_s=crawl_timeout_s, extra_settings=crawl_settings)
               for s in sf.sources}
    wait(list(futures.values()))
    failed: dict[str, str] = {}
    for sid, fut in futures.items():
        if not fut.state.is_completed():
            try:
                fut.result()
            except BaseException as exc:  # noqa: BLE001 - recorded, the run goes on
                failed[sid] = str(exc)
    fetches: list[dict] = []
    documents: list[dict] = []
    wanted_years = set(years or [])
    for s in sf.sources:
        run_dir = data / "runs" / run_id / s.id
        fetches += _jsonl(run_dir / "fetches.jsonl")
        if s.id in failed:
            continue
        allowed = set(s.years or [])
        if wanted_years:
            allowed = allowed & wanted_years if allowed else set(wanted_years)
        for d in _jsonl(run_dir / "documents.jsonl"):
            if allowed and d.get("year_hint") is not None and d["year_hint"] not in allowed:
                continue
            documents.append(d)

    documents = without_container_pages(documents)
    unique = {}
    for d in documents:
        unique.setdefault(d["sha256"], d)
    logger.info("parsing %d documents (%d unique)", len(documents), len(unique))
    parse_futs = {sha: parse_document.submit(sha, str(data / d["store_path"]), d.get("filename") or "", )
                  for sha, d in unique.items()}
    wait(list(parse_futs.values()))
    results = []
    for sha, fut in parse_futs.items():
        try:
            results.append(fut.result())
        except BaseException as exc:  # noqa: BLE001
            results.append(_failure(exc, unique[sha]))
    source_rows = [{"id": s.id, "name": s.name, "region": s.region, "start_urls": list(s.start_urls),
                    "allowed_domains": list(s.allowed_domains), "cms": s.cms} for s in sf.sources]
    loaded = load_results(warehouse, run_id, source_rows, fetches, documents, results)
    for line in loaded["lines"]:
        logger.info(line)
    summary = {"run_id": run_id, "sources": len(sf.sources), "failed_sources": failed,
               "documents": len(unique), "parsed_ok": sum(r["status"] == "ok" for r in results),
               "parse_failed": sum(r["status"] != "ok" for r in results), **loaded}
    if failed:
        raise SourcesFailed(f"{len(failed)} of {len(sf.sources)} sources could not be collected: "
                            + "; ".join(failed.values()))
    return summary
