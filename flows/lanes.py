"""The in-flow scheduler: crawls and parses run as Prefect task futures, a bounded number of each in
flight. Parsing starts as soon as a source's crawl is done (the cores work while other portals are
still being crawled), at most one crawl per host is started by a run, and a long parse backlog never
keeps the next crawl waiting for a thread of the task runner."""

from __future__ import annotations

import queue
from collections import deque
from pathlib import Path
from typing import Callable

from flows.process import ledger_path, outcome_of, release_claim, save_result
from runner.progress import Progress


def drain(lanes: list) -> None:
    """Submit from every lane, within its bounds, until all are done."""
    done: queue.Queue = queue.Queue()
    try:
        while True:
            for lane in lanes:
                lane.top_up(done)
            if not any(lane.busy for lane in lanes):
                return
            lane, key, fut = done.get()
            lane.finish(key, fut)
    finally:
        for lane in lanes:
            lane.progress.close()


def _notify(done: queue.Queue, lane, key: str):
    return lambda fut: done.put((lane, key, fut))


class ParseLane:
    """One parse task per distinct sha256, at most ``in_flight`` submitted at a time."""

    def __init__(self, task, data: Path, run_id: str, timeout_s: float, in_flight: int):
        self.task, self.data, self.run_id, self.timeout_s = task, Path(data), run_id, timeout_s
        self.in_flight = max(1, in_flight)
        self.pending: deque[dict] = deque()
        self.documents: dict[str, dict] = {}
        self.running: dict[str, object] = {}
        self.results: dict[str, dict] = {}
        self.cached = 0
        self.progress = Progress(total=0, label="parse")  # bar on a terminal, log lines elsewhere

    @property
    def busy(self) -> bool:
        return bool(self.pending or self.running)

    def add(self, documents: list[dict]) -> None:
        for d in documents:
            sha = d.get("sha256")
            if sha and d.get("store_path") and sha not in self.documents:
                self.documents[sha] = d
                self.pending.append(d)
        self.progress.total = len(self.documents)

    def top_up(self, done: queue.Queue) -> None:
        while self.pending and len(self.running) < self.in_flight:
            d = self.pending.popleft()
            sha = d["sha256"]
            images = {src: str(self.data / p) for src, p in (d.get("images") or {}).items()} or None
            fut = self.task.submit(
                sha,
                str(self.data / d["store_path"]),
                d.get("filename") or "",
                timeout_s=self.timeout_s,
                ledger=str(ledger_path(self.data)),
                run_id=self.run_id,
                images=images,
                cache_dir=str(self.data / "parsed"),
            )
            self.running[sha] = fut
            fut.add_done_callback(_notify(done, self, sha))

    def finish(self, sha: str, fut) -> None:
        del self.running[sha]
        result, cached = outcome_of(fut, sha)
        save_result(self.data, result, cached)
        # the parse's claim goes once its result is on disk (and Prefect's cached result beside it)
        release_claim(self.data / "parsed", sha, self.documents[sha].get("images") or None)
        self.results[sha] = result
        self.cached += cached
        self.progress.update()

    def summary(self) -> dict:
        ok = sum(r["status"] == "ok" for r in self.results.values())
        return {
            "documents": len(self.documents),
            "parsed_ok": ok,
            "parse_failed": len(self.results) - ok,
            "parsed_now": len(self.results) - self.cached,
            "cached": self.cached,
        }


class CrawlLane:
    """One crawl task per source, at most ``max_crawls`` at a time and never two on one host."""

    def __init__(
        self,
        task,
        sources: list,
        hosts: dict[str, str],
        args: Callable[[object], tuple],
        max_crawls: int,
        on_done: Callable[[object], None] | None = None,
    ):
        self.task, self.hosts, self.args, self.on_done = task, hosts, args, on_done
        self.max_crawls = max(1, max_crawls)
        self.pending = list(sources)
        self.running: dict[str, tuple[object, object]] = {}
        self.busy_hosts: set[str] = set()
        self.ok: dict[str, dict] = {}
        self.failed: dict[str, str] = {}
        self.cached: set[str] = set()
        self.progress = Progress(total=len(self.pending), label="crawl")

    @property
    def busy(self) -> bool:
        return bool(self.pending or self.running)

    def top_up(self, done: queue.Queue) -> None:
        for source in list(self.pending):
            if len(self.running) >= self.max_crawls:
                return
            host = self.hosts[source.id]
            if host in self.busy_hosts:
                continue
            self.pending.remove(source)
            self.busy_hosts.add(host)
            fut = self.task.submit(*self.args(source))
            self.running[source.id] = (source, fut)
            fut.add_done_callback(_notify(done, self, source.id))

    def finish(self, source_id: str, fut) -> None:
        source, _ = self.running.pop(source_id)
        self.busy_hosts.discard(self.hosts[source_id])
        fut.wait()
        try:
            self.ok[source_id] = fut.result()
            if fut.state.name == "Cached":
                self.cached.add(source_id)
        except BaseException as exc:  # noqa: BLE001 - recorded; the run goes on with the other sources
            self.failed[source_id] = str(exc) or type(exc).__name__
        self.progress.update()
        if self.on_done is not None:
            self.on_done(source)
