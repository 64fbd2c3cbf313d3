"""Load: the single warehouse writer."""
from __future__ import annotations

from prefect import task
from prefect.concurrency.sync import concurrency

from warehouse.loader import load_run


@task(name="load", retries=1, retry_delay_seconds=5)
def load_results(warehouse: str, run_id: str, sources: list[dict], fetches: list[dict], documents: list[dict],
                 results: list[dict]) -> dict:
    with concurrency("warehouse-writer", occupy=1, strict=False):
        summary = load_run(warehouse, run_id=run_id, sources=sources, fetches=fetches, documents=documents,
                           results=results)
    return {"lines": summary.lines(), "reports": summary.reports, "cells": summary.cells,
            "failed": summary.failed, "retry": list(summary.retry)}
