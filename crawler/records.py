"""The crawler's on-disk records: fetches.jsonl and documents.jsonl of one run and source."""
from __future__ import annotations

import dataclasses
import json
import threading
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

KINDS = ("home", "column", "list", "article", "attachment", "robots", "other")


def utc_now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True)
class FetchRecord:
    run_id: str
    source_id: str
    url: str
    final_url: str | None
    redirect_chain: tuple[str, ...]
    method: str
    http_status: int | None
    fetched_at: str
    sha256: str | None
    size: int | None
    content_type: str | None
    etag: str | None
    last_modified: str | None
    content_disposition: str | None
    encoding: str | None
    meta: dict = field(default_factory=dict)
    outcome: str = "ok"
    reason: str | None = None
    kind: str = "other"
    referer: str | None = None


@dataclass(frozen=True)
class DocumentRecord:
    run_id: str
    source_id: str
    sha256: str
    format: str
    document_url: str
    page_url: str
    title: str
    year_hint: int | None
    fetched_at: str
    store_path: str
    role: str  # page | attachment
    filename: str | None
    new: bool = True  # False when these bytes were already in the store before this fetch
    not_modified: bool = False  # the server answered 304; the bytes are the stored ones
    has_table: bool | None = None  # role=page: the page body holds a <table>
    pub_date: str | None = None


class RunFiles:
    """Append-only writers for ``DATA/runs/RUN/SOURCE/{fetches,documents}.jsonl``."""

    def __init__(self, data_dir: str | Path, run_id: str, source_id: str):
        self.data_dir = Path(data_dir)
        self.run_dir = self.data_dir / "runs" / run_id / source_id
        self.run_dir.mkdir(parents=True, exist_ok=True)
        self.fetches_path = self.run_dir / "fetches.jsonl"
        self.documents_path = self.run_dir / "documents.jsonl"
        self.stats_path = self.run_dir / "stats.json"
        self._lock = threading.Lock()
        for path in (self.fetches_path, self.documents_path):
            end_line(path)
        self._fetches = open(self.fetches_path, "a", encoding="utf-8")  # noqa: SIM115 - open for the writer's life, closed by close()
        self._documents = open(self.documents_path, "a", encoding="utf-8")  # noqa: SIM115 - open for the writer's life, closed by close()

    def fetch(self, rec: FetchRecord) -> None:
        self._write(self._fetches, rec)

    def document(self, rec: DocumentRecord) -> None:
        self._write(self._documents, rec)

    def _write(self, fh, rec) -> None:
        line = json.dumps(dataclasses.asdict(rec), ensure_ascii=False, sort_keys=False)
        with self._lock:
            fh.write(line + "\n")
            fh.flush()

    def close(self) -> None:
        for fh in (self._fetches, self._documents):
            if not fh.closed:
                fh.close()


def end_line(path: Path) -> None:
    """End a torn last line (a crawl killed mid-write, a machine that died) before appending, so the
    next record starts a line of its own instead of being glued to the torn one and lost with it."""
    try:
        with open(path, "rb+") as fh:
            size = fh.seek(0, 2)
            if size:
                fh.seek(size - 1)
                if fh.read(1) != b"\n":
                    fh.write(b"\n")
    except FileNotFoundError:
        pass


def read_jsonl(path: str | Path) -> list[dict]:
    """Records of a JSONL file; a torn last line (a killed crawl) is ignored."""
    out = []
    p = Path(path)
    if not p.exists():
        return out
    with open(p, encoding="utf-8") as fh:
        for line in fh:
            line = line.strip()
            if not line:
                continue
            try:
                out.append(json.loads(line))
            except json.JSONDecodeError:
                continue
    return out
