"""End to end: documents/hour of the process step (``flows.process``) with 1 and 2 workers.

The documents go through the flow's own machinery without a Prefect server: ``flows.parsepool.pool()``
(``GONGKAI_PARSE_WORKERS`` worker processes, spawned) fed by as many threads as the flow's task
runner has, each doing what the ``parse`` task does (submit ``flows.parsepool.parse_stored`` and wait). Workers
report the wall and CPU time of every document; their total CPU (``/proc/<pid>/stat``, children
included) over the batch's wall time says how many cores were busy. Mode ``serial`` parses the
same documents in one process with no pool: the floor of the 1-worker run.
"""
from __future__ import annotations

import json
import os
import resource
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path


def _cpu_self_and_children() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def timed_parse(path: str, name: str, sha256: str) -> dict:
    """Runs in a pool worker: ``flows.parsepool.parse_stored`` with its wall and CPU time."""
    from flows.parsepool import parse_stored

    c0, t0 = _cpu_self_and_children(), time.perf_counter()
    result = parse_stored(path, name, sha256)
    return {"result": result, "wall": time.perf_counter() - t0, "cpu": _cpu_self_and_children() - c0,
            "pid": os.getpid()}


def warm_worker(hold_s: float) -> int:
    """Import what parsing needs, then hold the worker so each worker gets one warm-up task."""
    import mammoth  # noqa: F401
    import pipeline.api  # noqa: F401
    import pipeline.interpret  # noqa: F401
    import pipeline.pdf  # noqa: F401
    from flows.parsepool import parse_stored  # noqa: F401

    time.sleep(hold_s)
    return os.getpid()


def proc_cpu(pid: int) -> float:
    """User + system seconds of a live process and of its waited-for children (LibreOffice)."""
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return 0.0
    rest = raw.rsplit(")", 1)[1].split()
    ticks = os.sysconf("SC_CLK_TCK")
    return sum(int(rest[i]) for i in (11, 12, 13, 14)) / ticks


def flow_threads() -> int:
    """How many parse tasks the ``gongkai-run`` flow keeps in flight (its ThreadPoolTaskRunner)."""
    try:
        from flows.run import run_sources

        return int(getattr(run_sources.task_runner, "_max_workers", 0) or 4)
    except Exception:
        return 4


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
    return {"doc": d.name, "fmt": d.fmt, "wall": res["wall"], "cpu": res["cpu"], "status": r["status"],
            "error": r.get("error"), "pid": res.get("pid"), "result": r}


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
    from flows import parsepool as process

    if int(os.environ.get("GONGKAI_PARSE_WORKERS", "0")) != workers:
        raise RuntimeError(f"GONGKAI_PARSE_WORKERS must be {workers} in this process")
    threads = flow_threads()
    ex = process.pool()
    try:
        pids = {f.result() for f in [ex.submit(warm_worker, 1.0) for _ in range(workers)]}
        pids = sorted(pids | set(getattr(ex, "_processes", None) or ()))
        before = {pid: proc_cpu(pid) for pid in pids}

        def task(it):  # what flows.process.parse_document does, with timings
            path, name, sha, d = it
            return _row(d, process.pool().submit(timed_parse, path, name, sha).result(timeout=900))

        t0 = time.perf_counter()
        with ThreadPoolExecutor(max_workers=threads) as tp:
            rows = list(tp.map(task, items))
        wall = time.perf_counter() - t0
        worker_cpu = {pid: proc_cpu(pid) - before[pid] for pid in pids}
    finally:
        process.shutdown_pool()
    busy = sum(r["wall"] for r in rows)
    return {"wall": wall, "docs": rows, "workers": workers, "threads": threads, "worker_pids": pids,
            "worker_cpu": sum(worker_cpu.values()), "occupancy": busy / (wall * workers) if wall else 0.0}
