"""Many sources crawled by one ``scrapy crawlmany`` process, and the batcher that groups the
per-source crawl requests of a run (each still one Prefect task) into such processes.

Why: with one process per source, a few processes kept only a few slow portals in flight; one
process with one crawler per source keeps many hosts in flight at the per-host politeness of each
crawler (see crawler/commands/crawlmany.py), each source's run files written as by ``scrapy crawl``."""

from __future__ import annotations

import json
import os
import sys
import threading
import uuid
from pathlib import Path
from typing import Callable

from .collect import CrawlResult, crawl_source, read_result, run_logged
from .sources import load_sources

SOURCES_PER_CRAWL = 25  # default of GONGKAI_SOURCES_PER_CRAWL: sources one scrapy process crawls at once
WINDOW_S = 2.0  # how long a batch waits for more sources before its process starts


def sources_per_crawl() -> int:
    raw = os.environ.get("GONGKAI_SOURCES_PER_CRAWL", "")
    try:
        return max(1, int(raw)) if raw.strip() else SOURCES_PER_CRAWL
    except ValueError:
        raise ValueError(f"GONGKAI_SOURCES_PER_CRAWL={raw!r} is not a whole number") from None


def crawlmany_command(
    sources_file, source_ids: list[str], run_id, data_dir, *, jobdir=True, extra_settings=None
) -> list[str]:
    data = Path(data_dir).resolve()
    cmd = [
        sys.executable,
        "-m",
        "scrapy",
        "crawlmany",
        "portal",
        "-a",
        f"sources={Path(sources_file).resolve()}",
        "-a",
        f"run_id={run_id}",
        "-a",
        f"data_dir={data}",
    ]
    for sid in source_ids:
        cmd += ["--source", sid]
    if jobdir:
        cmd.append("--jobdirs")
    for k, v in (extra_settings or {}).items():
        cmd += ["-s", f"{k}={v}"]
    return cmd


def crawl_batch(
    sources_file,
    source_ids: list[str],
    run_id,
    data_dir,
    *,
    timeout_s: float = 1800.0,
    jobdir: bool = True,
    extra_settings: dict | None = None,
    grace_s: float = 20.0,
    on_result: Callable[[str, CrawlResult], None] | None = None,
) -> dict[str, CrawlResult]:
    """Crawl the sources in one process, judged per source as ``crawl_source`` does. The process's
    output goes to ``runs/<run>/crawl-<batch>.log`` (each source's ``crawl.log`` names it). A source
    whose crawler did not close (no ``stats.json``) gets the process's exit status, or 1; at the hard
    timeout every source not ``finished`` counts as timed out (its JOBDIR is kept for a retry).
    ``on_result(source_id, result)`` is called as soon as a source's crawler has closed (its
    ``stats.json`` is the last file it writes), while the others go on: one slow portal does not keep
    the results of the batch waiting."""
    sf = load_sources(sources_file)
    for sid in source_ids:
        sf.get(sid)  # a bad id fails here with one line
    run_root = Path(data_dir) / "runs" / run_id
    dirs = {sid: run_root / sid for sid in source_ids}
    log_path = run_root / f"crawl-{uuid.uuid4().hex[:8]}.log"
    for sid, d in dirs.items():
        d.mkdir(parents=True, exist_ok=True)
        (d / "stats.json").unlink(missing_ok=True)  # only a crawler that closes in this process writes one
        with open(d / "crawl.log", "a", encoding="utf-8") as fh:
            fh.write(f"crawled with {len(source_ids)} sources in one process: see {log_path}\n")
    cmd = crawlmany_command(sources_file, source_ids, run_id, data_dir, jobdir=jobdir, extra_settings=extra_settings)
    results: dict[str, CrawlResult] = {}

    def done(sid: str, rc: int, timed_out: bool) -> None:
        results[sid] = read_result(sid, dirs[sid], rc, timed_out, log_path)
        if on_result is not None:
            on_result(sid, results[sid])

    def poll() -> None:
        for sid in dirs:
            if sid not in results and (dirs[sid] / "stats.json").exists():
                done(sid, 0, False)

    rc, timed_out = run_logged(cmd, log_path, timeout_s, grace_s, poll=poll)
    for sid, d in dirs.items():
        if sid in results:
            continue
        stats = _stats(d / "stats.json")
        own_timeout = timed_out and (stats or {}).get("finish_reason") != "finished"
        done(sid, 0 if stats is not None else (rc or 1), own_timeout)
    return results


def _stats(path: Path) -> dict | None:
    try:
        return json.loads(path.read_text("utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, json.JSONDecodeError):
        return {}


class _Batch:
    def __init__(self, key: tuple):
        self.key, self.launched = key, False
        self.ids: list[str] = []
        self.cond = threading.Condition()
        self.results: dict[str, CrawlResult] = {}
        self.error: BaseException | None = None


class CrawlBatcher:
    """Per-source crawl calls from many threads (the run's Prefect crawl tasks) are grouped: the
    calls of one run that arrive within ``window_s`` of each other, up to ``size``, share one
    ``crawl_batch`` process; each call returns its own source's result. Written here because the
    task runner submits tasks one by one and Prefect has no batching of task runs."""

    def __init__(self, size: int, window_s: float = WINDOW_S):
        self.size, self.window_s = max(1, size), window_s
        self.lock = threading.Lock()
        self.open: dict[tuple, _Batch] = {}

    def crawl(
        self,
        sources_file,
        source_id: str,
        run_id: str,
        data_dir,
        *,
        timeout_s: float = 1800.0,
        extra_settings: dict | None = None,
    ) -> CrawlResult:
        if self.size == 1:
            return crawl_source(
                sources_file, source_id, run_id, data_dir, timeout_s=timeout_s, extra_settings=extra_settings
            )
        key = (str(sources_file), run_id, str(data_dir), timeout_s, json.dumps(extra_settings or {}, sort_keys=True))
        with self.lock:
            batch = self.open.get(key)
            if batch is None:
                batch = self.open[key] = _Batch(key)
                timer = threading.Timer(self.window_s, self._launch, (batch,))
                timer.daemon = True
                timer.start()
            batch.ids.append(source_id)
            full = len(batch.ids) >= self.size
            if full:  # closed to later calls now, not when its thread gets to run
                del self.open[key]
        if full:
            threading.Thread(target=self._launch, args=(batch,), daemon=True).start()
        with batch.cond:  # each source's result as soon as its crawler closed
            batch.cond.wait_for(lambda: source_id in batch.results or batch.error is not None)
        if source_id in batch.results:
            return batch.results[source_id]
        raise batch.error  # type: ignore[misc]  # set: the wait above ended without a result

    def _launch(self, batch: _Batch) -> None:
        with self.lock:
            if batch.launched:
                return
            batch.launched = True
            if self.open.get(batch.key) is batch:
                del self.open[batch.key]
        sources_file, run_id, data_dir, timeout_s, settings = batch.key

        def deliver(sid: str, result: CrawlResult) -> None:
            with batch.cond:
                batch.results[sid] = result
                batch.cond.notify_all()

        try:
            for sid, result in crawl_batch(
                sources_file,
                batch.ids,
                run_id,
                data_dir,
                timeout_s=timeout_s,
                extra_settings=json.loads(settings) or None,
                on_result=deliver,
            ).items():
                deliver(sid, result)
            error = None
        except BaseException as exc:  # noqa: BLE001 - handed to every waiting task, which fails with it
            error = exc
        with batch.cond:
            batch.error = error or RuntimeError(f"crawl batch of {len(batch.ids)} sources gave no result")
            batch.cond.notify_all()


_batchers: dict[int, CrawlBatcher] = {}
_batchers_lock = threading.Lock()


def batcher() -> CrawlBatcher:
    """The process's batcher for the current GONGKAI_SOURCES_PER_CRAWL."""
    size = sources_per_crawl()
    with _batchers_lock:
        return _batchers.setdefault(size, CrawlBatcher(size))
