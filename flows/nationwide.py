"""The ``nationwide`` flow: every portal of the registry, on the schedules of prefect.yaml.

It fans out over ``sources/registry.yaml`` with the ``gongkai-run`` pipeline: at most ``max_crawls``
crawls at once, never two on one host (the ``host:<host>`` limits also keep two flow runs apart),
parsing on every core as crawls finish, one load at the end. A run that fails on some portals is
retried once by Prefect after ``retry_delay_seconds`` (or from the UI): only those portals are crawled again.
"""
from __future__ import annotations

from prefect import flow
from prefect.task_runners import ThreadPoolTaskRunner

from flows.limits import THREADS
from flows.run import run_pipeline

REGISTRY = "sources/registry.yaml"


@flow(name="nationwide", task_runner=ThreadPoolTaskRunner(max_workers=THREADS), log_prints=True,
      retries=1, retry_delay_seconds=3600)
def nationwide(registry: str = REGISTRY, years: list[int] | None = None,
               warehouse: str = "data/warehouse.duckdb", data_dir: str = "data", max_crawls: int = 4,
               crawl_timeout_s: float = 1800.0, crawl_retries: int = 2, crawl_retry_delay_s: float = 60.0,
               crawl_settings: dict | None = None, source_ids: list[str] | None = None,
               run_id: str | None = None) -> dict:
    """Collect, parse and load every source of the registry (or ``source_ids`` of it)."""
    return run_pipeline(registry, warehouse=warehouse, data_dir=data_dir, years=years, source_ids=source_ids,
                        run_id=run_id,
                        crawl_settings=crawl_settings, crawl_timeout_s=crawl_timeout_s,
                        crawl_retries=crawl_retries, crawl_retry_delay_s=crawl_retry_delay_s,
                        max_crawls=max_crawls)
