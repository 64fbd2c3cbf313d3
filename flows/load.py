"""Load: the single warehouse writer of a DuckDB file (the ``warehouse-writer`` limit, 1 by default; a
DuckLake takes concurrent loads), and the ``load`` flow.

Loading is idempotent (deterministic keys: reports already loaded are skipped, the rest MERGEd), so it
runs on every attempt of a flow run and is never cached: a retry loads the whole run again and converges. A warehouse file held by another
process beyond the loader's wait is the one transient failure, retried with backoff.
"""

from __future__ import annotations

from contextlib import nullcontext
from pathlib import Path

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.utilities.annotations import quote

from flows import limits, runfiles
from runner.testpause import hook


def _transient(task, task_run, state) -> bool:
    from warehouse.connect import WarehouseError

    try:
        state.result()
    except WarehouseError as err:
        return "held by another process" in str(err)
    except BaseException:  # noqa: BLE001 - any other failure is not worth a retry; Prefect keeps the state
        return False
    return False


def rows_of_run(sources: list[dict], fetches: list[dict], documents: list[dict], results: list[dict]) -> tuple:
    """The load task's row parameters, quoted: Prefect otherwise walks every parameter looking for
    futures (twice per task run), and a run's parse results are millions of objects — 3 min 20 s of a
    10,000-report load went to that walk, 30 s to the load itself (docs/benchmarks.md)."""
    return quote(sources), quote(fetches), quote(documents), quote(results)


@task(
    name="load",
    retries=2,
    retry_delay_seconds=[30, 120],
    retry_condition_fn=_transient,
    cache_policy=NO_CACHE,
    persist_result=False,
)
def load_results(
    warehouse: str, run_id: str, sources: list[dict], fetches: list[dict], documents: list[dict], results: list[dict]
) -> dict:
    from warehouse.loader import load_run  # DuckDB and Arrow only where the load runs
    from warehouse.target import parse_target

    # a DuckDB file has one writer at a time; a DuckLake takes concurrent loads (conflicting commits
    # are replayed, warehouse/transact.py), so shards on several workers load side by side, and a
    # load killed with its worker leaves no slot behind for the others to wait on until its lease ends
    with limits.hold(limits.WRITER) if not parse_target(warehouse).is_lake else nullcontext():
        summary = load_run(
            warehouse,
            run_id=run_id,
            sources=sources,
            fetches=fetches,
            documents=documents,
            results=results,
            before_commit=hook("load"),
        )  # None unless the crash tests ask
    for line in summary.lines():
        get_run_logger().info(line)
    return {
        "lines": summary.lines(),
        "reports": summary.reports,
        "cells": summary.cells,
        "failed": summary.failed,
        "retry": list(summary.retry),
    }


def gather_run(data: Path, run_id: str, manifest: dict) -> tuple[list[dict], list[dict], list[dict]]:
    """fetches, documents and the current parser's results (``DATA/parsed/``) of a run on disk."""
    from flows.process import parsed_path
    from pipeline.record import PARSER_VERSION

    fetches, documents = [], []
    for s in manifest["sources"]:
        fetches += runfiles.fetches_of(data, run_id, s["id"])
        documents += runfiles.documents_of(
            data, run_id, s["id"], runfiles.wanted_years(s.get("years"), manifest.get("years"))
        )
    results = []
    for sha in dict.fromkeys(str(d["sha256"]) for d in documents if d.get("sha256")):
        result = runfiles.read_json(parsed_path(data, sha, PARSER_VERSION))
        if result is not None:  # none: never parsed (or unreadable), listed by the loader as to retry
            results.append(result)
    return fetches, documents, results


@flow(name="load", log_prints=True)
def load(run_id: str, warehouse: str = "data/warehouse.duckdb", data_dir: str = "data") -> dict:
    """Load a run already on disk (``DATA/runs/<run_id>/`` and its results in ``DATA/parsed/``)."""
    from flows.preflight import preflight

    preflight(warehouse=warehouse)  # a target that cannot work fails here, in one line
    data = Path(data_dir).resolve()
    manifest = runfiles.read_manifest(data, run_id)
    limits.ensure({limits.WRITER: 1})
    fetches, documents, results = gather_run(data, run_id, manifest)
    get_run_logger().info(
        "run %s: %d fetches, %d documents, %d parse results", run_id, len(fetches), len(documents), len(results)
    )
    return load_results(warehouse, run_id, *rows_of_run(manifest["sources"], fetches, documents, results))
