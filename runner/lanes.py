"""The in-flow scheduler: crawls and parses run as task futures, a bounded number of each in flight.
Parsing starts as soon as a source's crawl is done (the cores work while other portals are still
being crawled), at most one crawl per host is started by a run, and a long parse backlog never keeps
the next crawl waiting for a thread of the task runner.

The lanes know nothing of Prefect or of where results are kept: they are given a way to submit work
(a Prefect task's ``submit``, or a function that calls it) and get back futures that call back when
done. ``flows.process.parse_lane`` and ``flows.collect``/``flows.run`` wire them to the tasks.
"""

from __future__ import annotations

import queue
from collections import deque
from typing import Any, Callable, Protocol, Sequence

from .progress import Progress

Document = dict[str, Any]  # a stored document as the run files list it (sha256, store_path, images, …)
ParseResult = dict[str, Any]  # the flows' parse result (sha256, status, error, record, …)


class State(Protocol):
    @property
    def name(self) -> str: ...


class Future(Protocol):
    """What the lanes use of a Prefect task future."""

    @property
    def state(self) -> State: ...

    def add_done_callback(self, fn: Callable[[Any], None]) -> None: ...

    def wait(self) -> object: ...

    def result(self) -> Any: ...


class Submits(Protocol):
    def submit(self, *args: Any) -> Future: ...


class Source(Protocol):
    @property
    def id(self) -> str: ...


class Lane(Protocol):
    progress: Progress

    @property
    def busy(self) -> bool: ...

    def top_up(self, done: Done) -> None: ...

    def finish(self, key: str, fut: Future) -> None: ...


Done = queue.Queue[tuple[Lane, str, Future]]  # (lane, key, future) of every future that finished


def drain(lanes: Sequence[Lane]) -> None:
    """Submit from every lane, within its bounds, until all are done."""
    done: Done = queue.Queue()
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


def _notify(done: Done, lane: Lane, key: str) -> Callable[[Future], None]:
    return lambda fut: done.put((lane, key, fut))


class ParseLane:
    """One parse per distinct sha256, at most ``in_flight`` submitted at a time. ``submit`` starts the
    parse of a document; ``settle`` gives (result, came from the cache) of a finished future and keeps
    the result wherever the caller keeps results."""

    def __init__(
        self,
        submit: Callable[[Document], Future],
        settle: Callable[[str, Future], tuple[ParseResult, bool]],
        in_flight: int,
    ):
        self.submit, self.settle = submit, settle
        self.in_flight = max(1, in_flight)
        self.pending: deque[Document] = deque()
        self.documents: dict[str, Document] = {}
        self.running: dict[str, Future] = {}
        self.results: dict[str, ParseResult] = {}
        self.cached = 0
        self.progress = Progress(total=0, label="parse")  # bar on a terminal, log lines elsewhere

    @property
    def busy(self) -> bool:
        return bool(self.pending or self.running)

    def add(self, documents: list[Document]) -> None:
        for d in documents:
            sha = d.get("sha256")
            if sha and d.get("store_path") and sha not in self.documents:
                self.documents[sha] = d
                self.pending.append(d)
        self.progress.total = len(self.documents)

    def top_up(self, done: Done) -> None:
        while self.pending and len(self.running) < self.in_flight:
            d = self.pending.popleft()
            sha = d["sha256"]
            fut = self.submit(d)
            self.running[sha] = fut
            fut.add_done_callback(_notify(done, self, sha))

    def finish(self, sha: str, fut: Future) -> None:
        del self.running[sha]
        result, cached = self.settle(sha, fut)
        self.results[sha] = result
        self.cached += cached
        self.progress.update()

    def summary(self) -> dict[str, int]:
        ok = sum(r["status"] == "ok" for r in self.results.values())
        return {
            "documents": len(self.documents),
            "parsed_ok": ok,
            "parse_failed": len(self.results) - ok,
            "parsed_now": len(self.results) - self.cached,
            "cached": self.cached,
        }


class CrawlLane:
    """One crawl task per source, at most ``max_crawls`` at a time and never two on one host. Crawls
    start ``batch`` at a time (the sources one ``scrapy crawlmany`` process takes, crawler/batch.py):
    freed slots wait until a batch's worth is free, or each freed slot would cost a scrapy process of its
    own (measured: after the first batch, 1–2 sources a process, 6.5 portals/min at 25 in flight)."""

    def __init__(
        self,
        task: Submits,
        sources: Sequence[Source],
        hosts: dict[str, str],
        args: Callable[[Any], tuple[Any, ...]],
        max_crawls: int,
        on_done: Callable[[Any], None] | None = None,
        batch: int = 1,
    ):
        self.task, self.hosts, self.args, self.on_done = task, hosts, args, on_done
        self.max_crawls = max(1, max_crawls)
        self.batch = max(1, min(batch, self.max_crawls))
        self.pending = list(sources)
        self.running: dict[str, tuple[Source, Future]] = {}
        self.busy_hosts: set[str] = set()
        self.ok: dict[str, dict[str, Any]] = {}
        self.failed: dict[str, str] = {}
        self.cached: set[str] = set()
        self.progress = Progress(total=len(self.pending), label="crawl")

    @property
    def busy(self) -> bool:
        return bool(self.pending or self.running)

    def top_up(self, done: Done) -> None:
        if self.running and self.max_crawls - len(self.running) < min(self.batch, len(self.pending)):
            return
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

    def finish(self, source_id: str, fut: Future) -> None:
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
        if not self.busy:  # its line says when the crawls ended, not when drain() ends (the parses)
            self.progress.close()
        if self.on_done is not None:
            self.on_done(source)
