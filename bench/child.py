"""One measurement in its own process: ``python -m bench.child JOB.json OUT.json``.

Jobs of kind ``files`` time a method on each document (``repeats`` rounds, after one untimed
warm-up), ``batch`` a batch method on all documents at once; the other kinds (``crawl``,
``scrapy_bench``, ``load``, ``load_floor``, ``e2e``, ``profile``) are functions of their modules.
The parent reads this process's peak RSS from ``wait4``; the output holds timings and checks.
"""

from __future__ import annotations

import json
import resource
import sys
import time
import traceback
from pathlib import Path


def _cpu() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def _timed(fn):
    c0, t0 = _cpu(), time.perf_counter()
    try:
        result = fn()
    except Exception as err:  # noqa: BLE001 - recorded with the sample; the other samples still count
        result = err
    return result, time.perf_counter() - t0, _cpu() - c0


def run_files(job: dict) -> dict:
    from . import methods as methods_mod
    from .corpus import load_corpus

    method = methods_mod.METHODS[job["method"]]
    corpus = load_corpus(job["corpus"])
    docs = [corpus.by_name(n) for n in job["docs"]]
    blobs = {d.name: corpus.path(d).read_bytes() for d in docs}
    state = method.setup() if method.setup else None
    baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    samples, errors = [], []

    def check(result, doc):
        if isinstance(result, BaseException):
            errors.append(f"{doc.name}: {type(result).__name__}: {result}"[:300])
            return {"error": f"{type(result).__name__}: {result}"[:200]}
        return method.check(result, doc, blobs[doc.name]) if method.check else {}

    if job["kind"] == "batch":
        items = [(blobs[d.name], d) for d in docs]
        if job.get("warmup"):
            _timed(lambda: method.run_batch(items[:1], state))
        for r in range(job["repeats"]):
            results, wall, cpu = _timed(lambda: method.run_batch(items, state))
            if isinstance(results, BaseException):
                results = [results] * len(docs)
            for d, res in zip(docs, results):
                samples.append(
                    {
                        "doc": d.name,
                        "repeat": r,
                        "wall": wall / len(docs),
                        "cpu": cpu / len(docs),
                        "batch_wall": wall,
                        "check": check(res, d),
                    }
                )
    else:
        if job.get("warmup") and docs:
            warm = corpus.by_name(job["warmup_doc"]) if job.get("warmup_doc") else docs[0]
            data = blobs.get(warm.name) or corpus.path(warm).read_bytes()
            _timed(lambda: method.run(data, warm, state))
        for r in range(job["repeats"]):
            for d in docs:
                res, wall, cpu = _timed(lambda d=d: method.run(blobs[d.name], d, state))
                samples.append({"doc": d.name, "repeat": r, "wall": wall, "cpu": cpu, "check": check(res, d)})
    return {"samples": samples, "errors": sorted(set(errors)), "baseline_rss_kb": baseline}


def _dispatch(job: dict) -> dict:
    kind = job["kind"]
    if kind in ("files", "batch"):
        return run_files(job)
    if kind in ("crawl", "scrapy_bench"):
        from . import crawl

        return getattr(crawl, kind)(job)
    if kind in ("load", "load_floor"):
        from . import load

        return getattr(load, kind)(job)
    if kind == "e2e":
        from . import e2e

        return e2e.run(job)
    if kind == "profile":
        from . import profile

        return profile.run(job)
    raise ValueError(f"unknown job kind {kind!r}")


def main(argv: list[str]) -> int:
    job_path, out_path = map(Path, argv)
    job = json.loads(job_path.read_text("utf-8"))
    try:
        out = _dispatch(job)
        code = 0
    except Exception as err:  # noqa: BLE001 - written to the output with its traceback, for the parent
        out = {"fatal": f"{type(err).__name__}: {err}"[:500], "traceback": traceback.format_exc()[-3000:]}
        code = 1
    out["maxrss_self_kb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    out_path.write_text(json.dumps(out, ensure_ascii=False, default=str), "utf-8")
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
