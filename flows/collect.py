"""Collect: one source's crawl (a ``scrapy crawl`` subprocess) as a Prefect task."""
from __future__ import annotations

from urllib.parse import urlsplit

from prefect import task
from prefect.concurrency.sync import concurrency

from crawler.collect import crawl_source


class SourceUnreachable(RuntimeError):
    """The portal answered nothing usable (down, refused, timed out): worth a retry."""


def _transient(task, task_run, state) -> bool:
    try:
        state.result()
    except SourceUnreachable:
        return True
    except Exception:
        return False
    return False


def host_of(url: str) -> str:
    return (urlsplit(url).hostname or "unknown").lower()


@task(name="collect", retries=2, retry_delay_seconds=[2, 10], retry_condition_fn=_transient,
      task_run_name="collect-{source_id}")
def collect_source(sources_file: str, source_id: str, run_id: str, data_dir: str, host: str,
                   timeout_s: float = 1800.0, extra_settings: dict | None = None) -> dict:
    """Crawl one source; a portal that gives nothing but errors raises SourceUnreachable."""
    with concurrency(f"host:{host}", occupy=1, strict=False):
        result = crawl_source(sources_file, source_id, run_id, data_dir, timeout_s=timeout_s,
                              extra_settings=extra_settings)
    outcomes = dict(result.outcomes)
    usable = outcomes.get("ok", 0) + outcomes.get("not_modified", 0)
    if result.timed_out and not usable:
        raise SourceUnreachable(f"{source_id}: crawl timed out after {timeout_s:.0f} s with nothing fetched")
    if not usable:
        detail = ", ".join(f"{k} {v}" for k, v in sorted(outcomes.items())) or "no response at all"
        raise SourceUnreachable(f"{source_id}: portal unreachable ({detail}); see {result.fetches_path}")
    return {"source_id": source_id, "returncode": result.returncode, "timed_out": result.timed_out,
            "n_documents": result.n_documents, "outcomes": outcomes,
            "fetches_path": result.fetches_path, "documents_path": result.documents_path}
