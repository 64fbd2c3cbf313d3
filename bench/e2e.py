"""End to end: documents/hour of the process step (``flows.process``) with 1 and 2 workers.

The documents go through the flow's own machinery without a Prefect server: as many threads as the
flow's task runner has, each doing what the ``parse`` task does (``runner.parse.run_parse``: one
supervised child per document, at most ``GONGKAI_PARSE_WORKERS`` at once). Each child reports its
CPU time; their total over the batch's wall time says how many cores were busy. Mode ``serial``
parses the same documents in this process with no child: the floor of the 1-worker run.
"""

from __future__ import annotations

import json
import os
import resource
import time
from concurrent.futures import ThreadPoolExecutor


def _cpu_self_and_children() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def parse_here(path: str, name: str, sha256: str) -> dict:
    """The result dict of one document parsed in this process (no child: the floor)."""
    from pipeline.api import parse_path
    from pipeline.record import PARSER_VERSION, ParseError
    from runner.parse import failed

    try:
        record = parse_path(path)
    except ParseError as err:
        return failed(sha256, str(err), err.kind)
    return {
        "sha256": sha256,
        "parser_version": PARSER_VERSION,
        "status": "ok",
        "error": None,
        "error_kind": None,
        "record": record.to_dict(),
    }


def timed_parse(path: str, name: str, sha256: str) -> dict:
    """:func:`parse_here` with its wall and CPU time."""
    c0, t0 = _cpu_self_and_children(), time.perf_counter()
    result = parse_here(path, name, sha256)
    return {
        "result": result,
        "wall": time.perf_counter() - t0,
        "cpu": _cpu_self_and_children() - c0,
        "pid": os.getpid(),
    }


def supervised_parse(path: str, name: str, sha256: str) -> dict:
    """What the flow's ``parse`` task does (``runner.parse.run_parse``), with the wall time of the
    parse (not of the wait for a slot) and the child's CPU time."""
    from runner.parse import run_parse

    stats: dict = {}
    result = run_parse(path, name, sha256, timeout_s=900, stats=stats)
    return {"result": result, "wall": stats["seconds"], "cpu": stats.get("cpu") or 0.0, "pid": stats.get("pid")}


def flow_threads() -> int:
    """How many tasks the ``gongkai-run`` flow keeps in flight (its ThreadPoolTaskRunner's threads)."""
    from flows.limits import THREADS

    return THREADS


def _spin(seconds: float) -> float:
    """Busy for ``seconds`` of wall time; returns the CPU seconds it got."""
    c0 = time.process_time()
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        pass
    return time.process_time() - c0


def cpu_probe(processes: int = 2, seconds: float = 1.5) -> float:
    """How many cores ``processes`` busy processes get right now (other work on the machine takes
    the rest): their CPU seconds over the wall time."""
    import multiprocessing

    with multiprocessing.get_context("spawn").Pool(processes) as pool:
        pool.map(_spin, [0.05] * processes)  # start-up, not measured
        t0 = time.perf_counter()
        cpu = sum(pool.map(_spin, [seconds] * processes, chunksize=1))
        return cpu / (time.perf_counter() - t0)


def run(job: dict) -> dict:
    from .corpus import load_corpus

    corpus = load_corpus(job["corpus"])
    docs = [corpus.by_name(n) for n in job["docs"]]
    items = [(str(corpus.path(d)), d.name, d.sha256, d) for d in docs]
    probe_s = job.get("probe_s", 1.5)
    before = cpu_probe(2, probe_s) if probe_s else None
    if job["mode"] == "serial":
        out = _serial(items)
    else:
        out = _pool(items, job["workers"])
    after = cpu_probe(2, probe_s) if probe_s else None
    out["cores_available"] = (before + after) / 2 if probe_s else None
    out["cores_available_before_after"] = [before, after]
    if job.get("results_out"):
        with open(job["results_out"], "w", encoding="utf-8") as fh:
            for row in out["docs"]:
                fh.write(json.dumps(row.pop("result"), ensure_ascii=False) + "\n")
    else:
        for row in out["docs"]:
            row.pop("result")
    return out


def _row(d, res: dict) -> dict:
    r = res["result"]
    return {
        "doc": d.name,
        "fmt": d.fmt,
        "wall": res["wall"],
        "cpu": res["cpu"],
        "status": r["status"],
        "error": r.get("error"),
        "pid": res.get("pid"),
        "result": r,
    }


def _serial(items) -> dict:
    seen = set()
    for path, name, sha, d in items:  # warm-up: one document of each format, untimed
        if d.fmt not in seen:
            seen.add(d.fmt)
            timed_parse(path, name, sha)
    t0 = time.perf_counter()
    rows = [_row(d, timed_parse(path, name, sha)) for path, name, sha, d in items]
    return {"wall": time.perf_counter() - t0, "docs": rows, "workers": 1, "threads": 0}


def _pool(items, workers: int) -> dict:
    from runner.parse import workers as parse_workers

    if parse_workers() != workers:
        raise RuntimeError(f"GONGKAI_PARSE_WORKERS must be {workers} in this process")
    threads = flow_threads()
    path, name, sha, _ = items[0]
    supervised_parse(path, name, sha)  # the fork server starts and imports the parser: not measured

    def task(it):  # what flows.process.parse_document does, with timings
        path, name, sha, d = it
        return _row(d, supervised_parse(path, name, sha))

    t0 = time.perf_counter()
    with ThreadPoolExecutor(max_workers=threads) as tp:
        rows = list(tp.map(task, items))
    wall = time.perf_counter() - t0
    busy = sum(r["wall"] for r in rows)
    return {
        "wall": wall,
        "docs": rows,
        "workers": workers,
        "threads": threads,
        "worker_cpu": sum(r["cpu"] for r in rows),
        "occupancy": busy / (wall * workers) if wall else 0.0,
    }
