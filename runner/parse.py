"""Parsing through the supervisor: one document, one supervised child (:mod:`runner.supervisor`).

:func:`parse_supervised` and :func:`parse_file` give a Record or raise ParseError (``gongkai
parse``); :func:`run_parse` gives the flows' result dict for a stored document and writes the parse
ledger. At most :func:`workers` parses run at once in a process (one child each).
"""

from __future__ import annotations

import json
import os
import threading
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from pipeline.api import check_file, page_images_beside, parse_bytes, read_document
from pipeline.limits import Limits
from pipeline.record import PARSER_VERSION, ParseError, Record

from .supervisor import ChildCrashed, announce_work, run_supervised

_LOCK = threading.Lock()
_SLOTS: threading.BoundedSemaphore | None = None


class ParseKilled(RuntimeError):
    """The child was killed under this parse by something other than its supervisor (the kernel's
    OOM killer, an operator): worth one retry."""


def workers() -> int:
    """Parses at once in this process: ``GONGKAI_PARSE_WORKERS``, else one per core."""
    try:
        n = int(os.environ.get("GONGKAI_PARSE_WORKERS") or 0)
    except ValueError:
        n = 0
    return max(1, n or os.cpu_count() or 1)


def _slots() -> threading.BoundedSemaphore:
    global _SLOTS
    with _LOCK:
        if _SLOTS is None:
            _SLOTS = threading.BoundedSemaphore(workers())
        return _SLOTS


def _in_child(data: bytes, name: str, limits: Limits) -> Record:
    return parse_bytes(data, name, limits, on_work=announce_work)


def _file_in_child(path: str, limits: Limits, images: dict[str, str] | None = None) -> Record:
    """A file's record; an HTML page reads its report images: the stored ones given by ``src``
    (``images``, a crawl) or, for a saved page, the files beside it."""
    data = read_document(path, limits)
    assets: dict[str, bytes] | None
    if images:
        assets = {src: Path(p).read_bytes() for src, p in images.items() if Path(p).is_file()}
    else:
        assets = page_images_beside(Path(path), data, limits)
    return parse_bytes(data, Path(path).name, limits, on_work=announce_work, assets=assets)


def parse_supervised(
    data: bytes, name: str = "", limits: Limits | None = None, stats: dict[str, Any] | None = None
) -> Record:
    """:func:`pipeline.api.parse_bytes` in a supervised child (``Limits.from_env()`` by default).
    Every failure is a ParseError with a kind: the structural ones, ``too_large`` (memory, output),
    ``timeout``, ``crashed``, ``internal``."""
    limits = limits or Limits.from_env()
    if len(data) > limits.max_bytes:  # no child needed to say this
        return parse_bytes(data, name, limits)
    record: Record = run_supervised(_in_child, (data, name, limits), limits, stats)
    return record


def parse_file(path: str | Path, limits: Limits | None = None, stats: dict[str, Any] | None = None) -> Record:
    """The record of a file on disk, read and parsed in a supervised child."""
    limits = limits or Limits.from_env()
    check_file(path, limits)  # a missing or oversized file is said here, without a child
    record: Record = run_supervised(_file_in_child, (str(path), limits), limits, stats)
    return record


def _utc() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def append_ledger(ledger: str | None, entry: dict[str, Any]) -> None:
    """One line per parse actually run (``DATA/parsed/parses.jsonl``); one ``write`` per line, so
    that parses side by side (threads, processes) can append to it."""
    if not ledger:
        return
    line = (json.dumps(entry, ensure_ascii=False, sort_keys=True) + "\n").encode("utf-8")
    Path(ledger).parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(ledger, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        os.write(fd, line)
    finally:
        os.close(fd)


def failed(sha256: str, error: str, kind: str) -> dict[str, Any]:
    return {
        "sha256": sha256,
        "parser_version": PARSER_VERSION,
        "status": "failed",
        "error": error,
        "error_kind": kind,
        "record": None,
    }


def run_parse(
    path: str,
    name: str,
    sha256: str,
    *,
    timeout_s: float | None = None,
    ledger: str | None = None,
    run_id: str | None = None,
    stats: dict[str, Any] | None = None,
    images: dict[str, str] | None = None,
) -> dict[str, Any]:
    """The result dict (ok or failed) of one stored document, parsed in a supervised child while
    holding one of :func:`workers` slots; ``timeout_s`` caps the document's time budget
    (``max_seconds``); ``stats`` receives the child's ``cpu`` and ``pid`` and the ``seconds`` of the
    parse (without the wait for a slot); ``images``: the stored images of a page whose report is
    images, by their ``src``. Raises ParseKilled
    when something else killed the child."""
    limits = Limits.from_env(max_seconds=timeout_s)
    stats = {} if stats is None else stats
    with _slots():
        started = time.monotonic()
        try:
            if not Path(path).is_file():  # said here, without a child
                raise ParseError(f"not in the store: {path}", "missing")
            record = run_supervised(_file_in_child, (path, limits, images), limits, stats)
            result = {
                "sha256": sha256,
                "parser_version": PARSER_VERSION,
                "status": "ok",
                "error": None,
                "error_kind": None,
                "record": record.to_dict(),
            }
        except ChildCrashed as err:
            if not err.by_signal_of_others:
                result = failed(sha256, str(err), err.kind)
            else:
                _log(ledger, sha256, "failed", "killed", started, stats, run_id)
                raise ParseKilled(f"{sha256[:12]}: {err}") from None
        except ParseError as err:
            result = failed(sha256, str(err), err.kind)
    _log(ledger, sha256, result["status"], result["error_kind"], started, stats, run_id)
    return result


def _log(
    ledger: str | None,
    sha256: str,
    status: str,
    kind: str | None,
    started: float,
    stats: dict[str, Any],
    run_id: str | None,
) -> None:
    stats["seconds"] = round(time.monotonic() - started, 3)  # holding the slot: the parse, not the queue
    append_ledger(
        ledger,
        {
            "sha256": sha256,
            "parser_version": PARSER_VERSION,
            "status": status,
            "error_kind": kind,
            "seconds": stats["seconds"],
            "cpu": stats.get("cpu"),
            "pid": stats.get("pid"),
            "run_id": run_id,
            "at": _utc(),
        },
    )
