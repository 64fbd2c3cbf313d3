"""Where the time goes: cProfile of one method on one document, summed by package or module.

Own time of built-in functions (C code: expat, zlib, …) is given to the Python function that
called them, so the shares name the code that asked for the work.
"""

from __future__ import annotations

import cProfile
import pstats
import sys
import sysconfig
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
STDLIB = Path(sysconfig.get_paths()["stdlib"]).resolve()


def area(filename: str) -> str:
    """``pipeline.pdf.chars``, ``mammoth``, ``stdlib xml``, … for a code object's file."""
    if filename.startswith("~") or filename.startswith("<"):
        return "builtin"
    p = Path(filename).resolve()
    parts = p.parts
    if "site-packages" in parts:
        rest = parts[parts.index("site-packages") + 1 :]
        return rest[0].removesuffix(".py") if rest else "site-packages"
    try:
        rel = p.relative_to(REPO)
        return ".".join(rel.with_suffix("").parts)
    except ValueError:
        pass
    try:
        rel = p.relative_to(STDLIB)
        return "stdlib " + rel.parts[0].removesuffix(".py")
    except ValueError:
        return p.name


def shares(stats: pstats.Stats) -> tuple[float, dict[str, float]]:
    """Total own time and own time per area (built-ins charged to their callers)."""
    by_area: dict[str, float] = {}
    total = 0.0
    for (filename, _line, _name), (_cc, _nc, tt, _ct, callers) in stats.stats.items():
        total += tt
        a = area(filename)
        if a == "builtin" and callers:
            edge_total = sum(edge[2] for edge in callers.values()) or 1.0
            for (cfile, _cl, _cn), edge in callers.items():
                share = tt * (edge[2] / edge_total) if edge_total else 0.0
                by_area[area(cfile)] = by_area.get(area(cfile), 0.0) + share
        else:
            by_area[a] = by_area.get(a, 0.0) + tt
    return total, by_area


def module(filename: str) -> str:
    """Dotted module of a file in the repository or in site-packages (else its area)."""
    p = Path(filename)
    parts = p.with_suffix("").parts
    if "site-packages" in parts:
        mod = list(parts[parts.index("site-packages") + 1 :])
    else:
        try:
            mod = list(p.resolve().relative_to(REPO).with_suffix("").parts)
        except ValueError:
            return area(filename)
    if mod and mod[-1] == "__init__":
        mod.pop()
    return ".".join(mod)


def top_functions(stats: pstats.Stats, repeats: int = 1, n: int = 12) -> list[dict]:
    """The most expensive functions of the repository and of third-party packages, per run."""
    rows = []
    for (filename, line, name), (_cc, nc, tt, ct, _callers) in stats.stats.items():
        a = area(filename)
        if a == "builtin" or a.startswith("stdlib") or a.startswith("bench"):
            continue
        rows.append(
            {
                "function": f"{module(filename)}.{name}",
                "line": line,
                "calls": nc / repeats,
                "cumulative": ct / repeats,
                "own": tt / repeats,
            }
        )
    rows.sort(key=lambda r: -r["cumulative"])
    return rows[:n]


def watched(stats: pstats.Stats, names: list[str], repeats: int = 1) -> list[dict]:
    """Cumulative time per run of the named functions (``module.function``), where they ran."""
    out = []
    for (filename, line, name), (_cc, nc, tt, ct, _callers) in stats.stats.items():
        full = f"{module(filename)}.{name}"
        if full in names:
            out.append(
                {"function": full, "line": line, "calls": nc / repeats, "cumulative": ct / repeats, "own": tt / repeats}
            )
    return sorted(out, key=lambda r: -r["cumulative"])


def _summary(prof: cProfile.Profile, repeats: int, wall: float, job: dict, **extra) -> dict:
    stats = pstats.Stats(prof, stream=sys.stderr)
    total, by_area = shares(stats)
    ranked = sorted(by_area.items(), key=lambda kv: -kv[1])
    return {
        **extra,
        "wall": wall,
        "own_total": total / repeats,
        "areas": [{"area": a, "share": t / total if total else 0.0} for a, t in ranked[:12]],
        "functions": top_functions(stats, repeats),
        "watched": watched(stats, job.get("watch", []), repeats),
    }


def run_load(job: dict) -> dict:
    """cProfile of ``warehouse.loader.load_run`` (into an empty warehouse, after one warm-up load)."""
    from warehouse.loader import load_run

    from .load import RUN_ID, SOURCE, _create, run_inputs

    fetches, documents, results = run_inputs(job)
    work = Path(job["workdir"])
    for name in ("profile-warm.duckdb", "profile.duckdb"):
        (work / name).unlink(missing_ok=True)
    load_run(
        work / "profile-warm.duckdb",
        run_id=RUN_ID,
        sources=[SOURCE],
        fetches=fetches,
        documents=documents,
        results=results,
    )
    _create(work / "profile.duckdb")
    prof = cProfile.Profile()
    t0 = time.perf_counter()
    prof.enable()
    load_run(
        work / "profile.duckdb", run_id=RUN_ID, sources=[SOURCE], fetches=fetches, documents=documents, results=results
    )
    prof.disable()
    wall = time.perf_counter() - t0
    for name in ("profile-warm.duckdb", "profile.duckdb"):
        (work / name).unlink(missing_ok=True)
    return _summary(prof, 1, wall, job, doc=f"{len(results)} parse results", method="load_run")


def run(job: dict) -> dict:
    if job.get("method") == "load_run":
        return run_load(job)
    from .corpus import load_corpus
    from .methods import METHODS

    method = METHODS[job["method"]]
    corpus = load_corpus(job["corpus"])
    doc = corpus.by_name(job["doc"])
    data = corpus.path(doc).read_bytes()
    state = method.setup() if method.setup else None
    method.run(data, doc, state)  # warm-up
    prof = cProfile.Profile()
    t0 = time.perf_counter()
    repeats = job.get("repeats", 1)
    prof.enable()
    for _ in range(repeats):
        method.run(data, doc, state)
    prof.disable()
    wall = (time.perf_counter() - t0) / repeats
    return _summary(prof, repeats, wall, job, doc=doc.name, method=method.name)
