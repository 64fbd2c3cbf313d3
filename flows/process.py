"""Process: convert + parse one stored document, cached by its sha256 and the parser version."""
from __future__ import annotations

import multiprocessing
import os
import threading
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from prefect import task

from pipeline.record import PARSER_VERSION

_POOL: ProcessPoolExecutor | None = None
_LOCK = threading.Lock()


class DocumentFailed(RuntimeError):
    """A document that cannot be parsed; not cached, so the next run tries it again."""

    def __init__(self, result: dict):
        super().__init__(f"{result['sha256'][:12]}: {result.get('error')}")
        self.result = result


def parse_stored(path: str, name: str, sha256: str) -> dict:
    """Parse result of one stored file (runs in a worker process)."""
    from pipeline.api import parse_bytes
    from pipeline.record import ParseError

    base = {"sha256": sha256, "parser_version": PARSER_VERSION}
    try:
        data = Path(path).read_bytes()
        record = parse_bytes(data, name)
    except ParseError as err:
        return {**base, "status": "failed", "error": str(err), "error_kind": err.kind, "record": None}
    except FileNotFoundError:
        return {**base, "status": "failed", "error": f"not in the store: {path}", "error_kind": "missing",
                "record": None}
    except Exception as err:  # a parser bug must not stop the run; it is recorded and retried
        return {**base, "status": "failed", "error": f"internal error: {type(err).__name__}: {err}"[:500],
                "error_kind": "internal", "record": None}
    return {**base, "status": "ok", "error": None, "error_kind": None, "record": record.to_dict()}


def pool() -> ProcessPoolExecutor:
    """One worker process per core, shared by all parse tasks of this process."""
    global _POOL
    with _LOCK:
        if _POOL is None:
            workers = max(1, int(os.environ.get("GONGKAI_PARSE_WORKERS", os.cpu_count() or 1)))
            _POOL = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"))
        return _POOL


def shutdown_pool() -> None:
    global _POOL
    with _LOCK:
        if _POOL is not None:
            _POOL.shutdown(wait=True, cancel_futures=True)
            _POOL = None


def _cache_key(context, parameters) -> str:
    return f"parse-{parameters['sha256']}-{PARSER_VERSION}"


@task(name="parse", cache_key_fn=_cache_key, persist_result=True, task_run_name="parse-{sha256:.12}")
def parse_document(sha256: str, path: str, name: str, timeout_s: float = 600.0) -> dict:
    result = pool().submit(parse_stored, path, name, sha256).result(timeout=timeout_s)
    if result["status"] != "ok":
        raise DocumentFailed(result)
    return result
