"""The crawler's files of one run and source: fetches.jsonl, documents.jsonl, landings.jsonl."""

from __future__ import annotations

import dataclasses
import json
import threading
from pathlib import Path

# the records are the spider's items; they are named here too for the readers of the files
from .items import KINDS, DocumentRecord, FetchRecord, LandingRecord, utc_now

__all__ = [
    "KINDS",
    "DocumentRecord",
    "FetchRecord",
    "LandingRecord",
    "RunFiles",
    "end_line",
    "read_jsonl",
    "run_dir",
    "utc_now",
]


def run_dir(data_dir: str | Path, run_id: str, source_id: str) -> Path:
    return Path(data_dir) / "runs" / run_id / source_id


class RunFiles:
    """Append-only writers for ``DATA/runs/RUN/SOURCE/{fetches,documents,landings}.jsonl``."""

    def __init__(self, data_dir: str | Path, run_id: str, source_id: str):
        self.data_dir = Path(data_dir)
        self.run_dir = run_dir(data_dir, run_id, source_id)
        self.run_dir.mkdir(parents=True, exist_ok=True)
        self.fetches_path = self.run_dir / "fetches.jsonl"
        self.documents_path = self.run_dir / "documents.jsonl"
        self.landings_path = self.run_dir / "landings.jsonl"
        self.stats_path = self.run_dir / "stats.json"
        self._lock = threading.Lock()
        for path in (self.fetches_path, self.documents_path, self.landings_path):
            end_line(path)
        self._fetches = open(self.fetches_path, "a", encoding="utf-8")  # noqa: SIM115 - open for the writer's life, closed by close()
        self._documents = open(self.documents_path, "a", encoding="utf-8")  # noqa: SIM115 - open for the writer's life, closed by close()
        self._landings = open(self.landings_path, "a", encoding="utf-8")  # noqa: SIM115 - open for the writer's life, closed by close()

    def fetch(self, rec: FetchRecord) -> None:
        self._write(self._fetches, rec)

    def document(self, rec: DocumentRecord) -> None:
        self._write(self._documents, rec)

    def landing(self, rec: LandingRecord) -> None:
        self._write(self._landings, rec)

    def _write(self, fh, rec) -> None:
        line = json.dumps(dataclasses.asdict(rec), ensure_ascii=False, sort_keys=False)
        with self._lock:
            fh.write(line + "\n")
            fh.flush()

    def close(self) -> None:
        for fh in (self._fetches, self._documents, self._landings):
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
