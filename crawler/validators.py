"""Conditional-request validators (ETag, Last-Modified, sha256) from earlier runs of a source."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .records import read_jsonl
from .store import ContentStore


@dataclass(frozen=True)
class Validator:
    url: str
    sha256: str
    etag: str | None
    last_modified: str | None
    size: int | None
    content_type: str | None
    content_disposition: str | None
    fetched_at: str


def load_validators(data_dir: str | Path, source_id: str, exclude_run: str | None = None) -> dict[str, Validator]:
    """The newest validator per requested URL over all earlier runs whose bytes are still stored."""
    runs = Path(data_dir) / "runs"
    store = ContentStore(data_dir)
    best: dict[str, Validator] = {}
    if not runs.is_dir():
        return best
    for run_dir in runs.iterdir():
        if run_dir.name == exclude_run:
            continue
        path = run_dir / source_id / "fetches.jsonl"
        for rec in read_jsonl(path):
            if rec.get("outcome") not in ("ok", "not_modified") or not rec.get("sha256"):
                continue
            if not (rec.get("etag") or rec.get("last_modified")):
                continue
            if rec.get("method", "GET") != "GET":
                continue
            url = rec.get("url")
            v = Validator(
                url=url,
                sha256=rec["sha256"],
                etag=rec.get("etag"),
                last_modified=rec.get("last_modified"),
                size=rec.get("size"),
                content_type=rec.get("content_type"),
                content_disposition=rec.get("content_disposition"),
                fetched_at=rec.get("fetched_at") or "",
            )
            old = best.get(url)
            if old is None or v.fetched_at >= old.fetched_at:
                best[url] = v
    return {u: v for u, v in best.items() if store.has(v.sha256)}
