"""Content-addressed store: ``DATA/store/ab/cd/<sha256>``, each distinct body written once."""

from __future__ import annotations

import hashlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class StoredBlob:
    sha256: str
    store_path: str  # relative to the data directory, e.g. "store/ab/cd/abcd…"
    size: int
    created: bool  # False when the bytes were already in the store


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def store_relpath(sha256: str) -> str:
    if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
        raise ValueError(f"not a sha256 hex digest: {sha256!r}")
    return f"store/{sha256[:2]}/{sha256[2:4]}/{sha256}"


class ContentStore:
    """Bytes keyed by their sha256 under ``data_dir/store``."""

    def __init__(self, data_dir: str | Path):
        self.data_dir = Path(data_dir)

    def path(self, sha256: str) -> Path:
        return self.data_dir / store_relpath(sha256)

    def has(self, sha256: str) -> bool:
        return self.path(sha256).is_file()

    def get(self, sha256: str) -> bytes:
        return self.path(sha256).read_bytes()

    def put(self, data: bytes) -> StoredBlob:
        """Store ``data`` unless its sha256 is already present (atomic rename, never rewritten)."""
        digest = sha256_hex(data)
        rel = store_relpath(digest)
        target = self.data_dir / rel
        if target.is_file() and target.stat().st_size == len(data):
            return StoredBlob(digest, rel, len(data), created=False)
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=target.parent)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            os.replace(tmp, target)
        except BaseException:
            try:
                os.unlink(tmp)
            except FileNotFoundError:
                pass
            raise
        return StoredBlob(digest, rel, len(data), created=True)


def keep_body(
    store: ContentStore, stats, outcome: str, status: int, body: bytes, validator=None
) -> tuple[str | None, int, bool]:
    """(sha256, size, stored new) of a fetched body: a 304's stored copy (``validator``), a usable
    2xx put in the store (stats ``gongkai/store/new|known``), nothing else kept."""
    if outcome == "not_modified" and validator is not None:
        return validator.sha256, validator.size if validator.size is not None else len(body), False
    if outcome == "ok" and body and 200 <= status < 300:
        blob = store.put(body)
        stats.inc_value("gongkai/store/" + ("new" if blob.created else "known"))
        return blob.sha256, blob.size, blob.created
    return None, len(body), False
