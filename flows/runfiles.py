"""The files of one run on disk (docs/architecture.md): the manifest, the crawler's JSONL per source,
and the choice of the documents a run parses."""

from __future__ import annotations

import json
import os
from pathlib import Path

from crawler.records import read_jsonl

MANIFEST = "run.json"
OUTCOME = "outcome.json"


def run_dir(data: Path, run_id: str) -> Path:
    return Path(data) / "runs" / run_id


def source_dir(data: Path, run_id: str, source_id: str) -> Path:
    return run_dir(data, run_id) / source_id


def write_json(path: Path, obj) -> None:
    """Write JSON atomically (a reader never sees half a file)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps(obj, ensure_ascii=False, sort_keys=True), encoding="utf-8")
    tmp.replace(path)


def write_manifest(data: Path, run_id: str, sources_file: str, sources: list[dict], years: list[int] | None) -> None:
    """``runs/<run_id>/run.json``: what the run was asked to do, so ``process`` and ``load`` can be run
    on their own later."""
    write_json(
        run_dir(data, run_id) / MANIFEST,
        {"run_id": run_id, "sources_file": sources_file, "sources": sources, "years": years},
    )


def read_manifest(data: Path, run_id: str) -> dict:
    path = run_dir(data, run_id) / MANIFEST
    if not path.exists():
        raise FileNotFoundError(f"no run {run_id} under {Path(data) / 'runs'} (missing {MANIFEST})")
    return json.loads(path.read_text(encoding="utf-8"))


def source_rows(sources) -> list[dict]:
    """The registry entries as the loader wants them."""
    return [
        {
            "id": s.id,
            "name": s.name,
            "region": s.region,
            "start_urls": list(s.start_urls),
            "allowed_domains": list(s.allowed_domains),
            "cms": s.cms,
            "years": list(s.years) if s.years else None,
        }
        for s in sources
    ]


def fetches_of(data: Path, run_id: str, source_id: str) -> list[dict]:
    return read_jsonl(source_dir(data, run_id, source_id) / "fetches.jsonl")


def wanted_years(source_years, run_years) -> set[int]:
    """Years a source keeps: its own ``years:`` cut by the run's ``years`` (empty = every year)."""
    allowed = set(source_years or ())
    run = set(run_years or ())
    if run:
        allowed = allowed & run if allowed else run
    return allowed


def without_container_pages(documents: list[dict]) -> list[dict]:
    """Article pages whose report is in their attachments (no table on the page) are not documents
    of their own: their fetch is recorded, the attachments are parsed."""
    with_files = {d.get("page_url") for d in documents if d.get("role") == "attachment"}
    return [
        d
        for d in documents
        if not (d.get("role") == "page" and d.get("has_table") is False and d.get("document_url") in with_files)
    ]


def with_page_images(documents: list[dict]) -> list[dict]:
    """Images of a page whose report is images (``role: page_image``) are no documents of their own:
    each page gets ``images`` = {src as written: store_path} for the parser."""
    images: dict[str, dict[str, str]] = {}
    for d in documents:
        if d.get("role") == "page_image" and d.get("store_path") and d.get("filename"):
            images.setdefault(d.get("page_url"), {})[d["filename"]] = d["store_path"]
    out = []
    for d in documents:
        if d.get("role") == "page_image":
            continue
        if d.get("role") == "page" and d.get("document_url") in images:
            d = {**d, "images": images[d["document_url"]]}
        out.append(d)
    return out


def documents_of(data: Path, run_id: str, source_id: str, years: set[int] | None = None) -> list[dict]:
    """The candidate report documents one source's crawl listed, minus other years and container pages.
    A document whose year is not known is kept (the parser reads the year)."""
    docs = read_jsonl(source_dir(data, run_id, source_id) / "documents.jsonl")
    if years:
        docs = [d for d in docs if d.get("year_hint") is None or d["year_hint"] in years]
    return without_container_pages(with_page_images(docs))


def default_run_id() -> str:
    """``run-<first 8 hex digits of the flow run id>``: the same for every retry of that flow run, so a
    retry finds its crawls, JOBDIRs and cached tasks."""
    from datetime import datetime, timezone

    from prefect.runtime import flow_run

    rid = flow_run.id
    if rid:
        return f"run-{str(rid)[:8]}"
    return datetime.now(timezone.utc).strftime("run-%Y%m%dT%H%M%S")


def read_json(path: Path) -> dict | None:
    """A JSON object from a file, or None when it is missing or unreadable."""
    try:
        obj = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return obj if isinstance(obj, dict) else None


def write_outcome(data: Path, run_id: str, source_id: str, outcome) -> None:
    """``runs/<run>/<source>/outcome.json``: the source's outcome (crawler.source_outcome), kept beside
    its fetches so a failed or cached crawl task still tells the run how the source ended."""
    write_json(
        source_dir(data, run_id, source_id) / OUTCOME,
        {"outcome": outcome.outcome, "reason": outcome.reason, "n_documents": outcome.n_documents},
    )


def outcome_of(data: Path, run_id: str, source_id: str, failure: str | None = None) -> dict:
    """The recorded outcome of a source, or ``down`` with the failure of a crawl that left none."""
    got = read_json(source_dir(data, run_id, source_id) / OUTCOME)
    if got and got.get("outcome"):
        return got
    return {"outcome": "down", "reason": failure or "the crawl recorded no outcome", "n_documents": 0}
