"""The parse worker processes: one per core (spawn), shared by every parse task of a flow run.

A parse is CPU work in a worker process; the Prefect task thread only waits for it. A slot per
worker process keeps the timeout to parse time (not time queued), and a parse that outlives it
takes its stuck process down with the pool (the next parse gets a fresh one).
"""
from __future__ import annotations

import json
import multiprocessing
import os
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from concurrent.futures.process import BrokenProcessPool
from datetime import datetime, timezone
from pathlib import Path

from pipeline.record import PARSER_VERSION

_POOL: ProcessPoolExecutor | None = None
_SLOTS: threading.BoundedSemaphore | None = None
_LOCK = threading.Lock()


class PoolBroken(RuntimeError):
    """A worker process died under this parse (killed, out of memory, a crash): worth one retry."""


def workers() -> int:
    """Worker processes: ``GONGKAI_PARSE_WORKERS``, else one per core."""
    try:
        n = int(os.environ.get("GONGKAI_PARSE_WORKERS") or 0)
    except ValueError:
        n = 0
    return max(1, n or os.cpu_count() or 1)


def _utc() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def append_ledger(ledger: str | None, entry: dict) -> None:
    """One line per parse actually run (``DATA/parsed/parses.jsonl``); one ``write`` per line, so
    worker processes can append side by side."""
    if not ledger:
        return
    line = (json.dumps(entry, ensure_ascii=False, sort_keys=True) + "\n").encode("utf-8")
    Path(ledger).parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(ledger, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        os.write(fd, line)
    finally:
        os.close(fd)


def failed(sha256: str, error: str, kind: str) -> dict:
    return {"sha256": sha256, "parser_version": PARSER_VERSION, "status": "failed", "error": error,
            "error_kind": kind, "record": None}


def parse_stored(path: str, name: str, sha256: str, ledger: str | None = None, run_id: str | None = None,
                 images: dict[str, str] | None = None) -> dict:
    """Parse result of one stored file (runs in a worker process); never raises."""
    from flows.testpause import pause
    from pipeline.api import parse_guarded
    from pipeline.record import ParseError

    pause("parse")  # inert unless GONGKAI_TEST_PAUSE asks (the crash tests)
    started = time.monotonic()
    try:
        # bounded in time and memory: a hostile document is killed and recorded, the worker lives on
        assets = {src: Path(p).read_bytes() for src, p in images.items() if Path(p).is_file()} if images else None
        record = parse_guarded(Path(path).read_bytes(), name, assets=assets)
        result = {"sha256": sha256, "parser_version": PARSER_VERSION, "status": "ok", "error": None,
                  "error_kind": None, "record": record.to_dict()}
    except ParseError as err:
        result = failed(sha256, str(err), err.kind)
    except FileNotFoundError:
        result = failed(sha256, f"not in the store: {path}", "missing")
    except Exception as err:  # a parser bug must not stop the run; it is recorded and retried
        result = failed(sha256, f"internal error: {type(err).__name__}: {err}"[:500], "internal")
    append_ledger(ledger, {"sha256": sha256, "parser_version": PARSER_VERSION, "status": result["status"],
                           "error_kind": result["error_kind"], "seconds": round(time.monotonic() - started, 3),
                           "pid": os.getpid(), "run_id": run_id, "at": _utc()})
    return result


def pool() -> ProcessPoolExecutor:
    global _POOL
    with _LOCK:
        if _POOL is None:
            _POOL = ProcessPoolExecutor(max_workers=workers(), mp_context=multiprocessing.get_context("spawn"))
        return _POOL


def _import_parser() -> int:
    """Import the parser's modules (a worker process's start-up cost)."""
    import importlib

    for name in ("pipeline.api", "pipeline.interpret", "pipeline.html_layout", "pipeline.docx_layout"):
        importlib.import_module(name)
    return os.getpid()


def warm() -> None:
    """Start every worker process now and have it import the parser, without waiting: a flow calls
    this before crawling, so the start-up overlaps the crawl instead of delaying the first parse."""
    p = pool()
    for _ in range(workers()):
        try:
            p.submit(_import_parser)
        except RuntimeError:  # shut down meanwhile: the first parse starts a new pool
            return


def _slots() -> threading.BoundedSemaphore:
    """One slot per worker process, for the life of this process (a replaced pool keeps the count)."""
    global _SLOTS
    with _LOCK:
        if _SLOTS is None:
            _SLOTS = threading.BoundedSemaphore(workers())
        return _SLOTS


def _discard(p: ProcessPoolExecutor) -> None:
    """Kill the processes of a pool whose worker is stuck, and forget the pool."""
    global _POOL
    with _LOCK:
        if _POOL is p:
            _POOL = None  # the slots stay: they count parses in flight, whichever pool runs them
    for proc in list(getattr(p, "_processes", {}).values()):  # no public API to stop one stuck job
        proc.kill()
    p.shutdown(wait=False, cancel_futures=True)


class CallTimedOut(RuntimeError):
    """The call outlived its timeout; its worker process was killed."""


def call(fn, *args, timeout_s: float = 600.0):
    """``fn(*args)`` in a worker process, holding one slot; raises CallTimedOut (the stuck process is
    killed with its pool, the next call gets a fresh pool) or PoolBroken."""
    with _slots():
        p = pool()
        try:
            try:
                fut = p.submit(fn, *args)
            except RuntimeError:  # the pool was just shut down or broken by another call
                _discard(p)
                p = pool()
                fut = p.submit(fn, *args)
            return fut.result(timeout=timeout_s)
        except FutureTimeout:
            _discard(p)
            raise CallTimedOut(f"took longer than {timeout_s:g} s; stopped") from None
        except BrokenProcessPool as err:
            _discard(p)
            raise PoolBroken(f"a worker process died ({err or 'killed'})") from None


def run_parse(path: str, name: str, sha256: str, *, timeout_s: float = 600.0, ledger: str | None = None,
              run_id: str | None = None, images: dict[str, str] | None = None) -> dict:
    """Parse one stored document in a worker process: its result dict (ok or failed, a timeout is a
    failure of kind ``timeout``); raises PoolBroken when the worker died under it."""
    started = time.monotonic()
    try:
        return call(parse_stored, path, name, sha256, ledger, run_id, images, timeout_s=timeout_s)
    except CallTimedOut:
        append_ledger(ledger, {"sha256": sha256, "parser_version": PARSER_VERSION, "status": "failed",
                               "error_kind": "timeout", "seconds": round(time.monotonic() - started, 3),
                               "pid": None, "run_id": run_id, "at": _utc()})
        return failed(sha256, f"parse took longer than {timeout_s:g} s; stopped", "timeout")
    except PoolBroken as err:
        raise PoolBroken(f"{sha256[:12]}: {err}") from None


def shutdown_pool() -> None:
    global _POOL
    with _LOCK:
        p, _POOL = _POOL, None
    if p is not None:
        p.shutdown(wait=True, cancel_futures=True)


def pool_pids() -> list[int]:
    """Process ids of the live worker processes (for the docs and tests)."""
    with _LOCK:
        p = _POOL
    return sorted(getattr(p, "_processes", {}) or {}) if p is not None else []
