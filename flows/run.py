"""The ``gongkai-run`` flow: crawl the sources of a file, parse each new document as soon as its
source is crawled, load the run; the ``nationwide`` flow runs the same over the registry.

A source that cannot be collected fails the flow run at the end, after everything else was parsed
and loaded; retrying that flow run (UI, ``prefect flow-run retry``) keeps the run id, so the crawls
that finished and every parse come from the task cache and only the failed sources are crawled again.
"""

from __future__ import annotations

from pathlib import Path

from prefect import flow, get_run_logger
from prefect.task_runners import ThreadPoolTaskRunner

from crawler.batch import sources_per_crawl
from crawler.sources import load_sources
from flows import limits, runfiles
from flows.collect import SourcesFailed, by_host, crawl_task, select
from flows.load import load_results, rows_of_run
from flows.process import parse_lane, parse_task
from flows.preflight import preflight
from runner.lanes import CrawlLane, drain
from runner.supervisor import warm

__all__ = ["SourcesFailed", "run_pipeline", "run_sources"]


def run_pipeline(
    sources_file: str,
    *,
    warehouse: str,
    data_dir: str,
    years: list[int] | None = None,
    run_id: str | None = None,
    source_ids: list[str] | None = None,
    crawl_settings: dict | None = None,
    crawl_timeout_s: float = 1800.0,
    crawl_retries: int = 2,
    crawl_retry_delay_s: float = 60.0,
    max_crawls: int = limits.DEFAULT_CRAWLS,
    parse_timeout_s: float = 600.0,
) -> dict:
    """collect → process → load inside the current flow run (see ``run_sources``)."""
    logger = get_run_logger()
    preflight(sources_file=sources_file, warehouse=warehouse, data_dir=data_dir, source_ids=source_ids)
    sources_file = str(Path(sources_file).resolve())
    data = Path(data_dir).resolve()
    sources, hosts = by_host(select(load_sources(sources_file), source_ids))
    run_id = run_id or runfiles.default_run_id()
    rows = runfiles.source_rows(sources)
    runfiles.write_manifest(data, run_id, sources_file, rows, years)
    limits.ensure({limits.WRITER: 1, **{limits.host_limit(h): 1 for h in set(hosts.values())}})
    logger.info("run %s: %d sources → %s", run_id, len(sources), warehouse)
    warm()

    crawl_limit = max(1, min(max_crawls, limits.MAX_CRAWLS))
    parses = parse_lane(parse_task(data), data, run_id, parse_timeout_s, in_flight=limits.PARSE_THREADS)
    fetches: list[dict] = []
    documents: list[dict] = []
    per_source: dict[str, int] = {}
    outcomes: dict[str, dict] = {}

    def crawled(source) -> None:  # a source's documents (also of a failed, partial crawl) go to parsing
        outcomes[source.id] = runfiles.outcome_of(data, run_id, source.id, crawls.failed.get(source.id))
        fetches.extend(runfiles.fetches_of(data, run_id, source.id))
        docs = runfiles.documents_of(data, run_id, source.id, runfiles.wanted_years(source.years, years))
        per_source[source.id] = len(docs)
        documents.extend(docs)
        parses.add(docs)

    crawls = CrawlLane(
        crawl_task(data, crawl_retries, crawl_retry_delay_s),
        sources,
        hosts,
        lambda s: (sources_file, s.id, run_id, str(data), hosts[s.id], crawl_timeout_s, crawl_settings),
        crawl_limit,
        on_done=crawled,
        batch=sources_per_crawl(),
    )
    drain([crawls, parses])
    parsed = parses.summary()
    logger.info(
        "parsed %d documents: %d now, %d from the cache, %d failed",
        parsed["documents"],
        parsed["parsed_now"],
        parsed["cached"],
        parsed["parse_failed"],
    )
    with_outcomes = [{**row, "run": outcomes.get(row["id"])} for row in rows]
    loaded = load_results(
        warehouse, run_id, *rows_of_run(with_outcomes, fetches, documents, list(parses.results.values()))
    )
    _artifact(run_id, sources, crawls, per_source, parsed, outcomes)
    summary = {
        "run_id": run_id,
        "sources": len(sources),
        "failed_sources": dict(crawls.failed),
        "source_outcomes": outcomes,
        "crawls_cached": sorted(crawls.cached),
        **parsed,
        **loaded,
    }
    if crawls.failed:
        err = SourcesFailed.of(crawls.failed, len(sources))
        err.summary = summary  # the CLI still prints how every source ended
        raise err
    return summary


def _artifact(
    run_id: str, sources: list, crawls: CrawlLane, per_source: dict[str, int], parsed: dict, outcomes: dict[str, dict]
) -> None:
    """A table of the sources in the UI (flow run → Artifacts)."""
    from prefect.artifacts import create_table_artifact

    rows = []
    for s in sources:
        ok = crawls.ok.get(s.id)
        rows.append(
            {
                "source": s.id,
                "outcome": (outcomes.get(s.id) or {}).get("outcome", ""),
                "status": "failed" if s.id in crawls.failed else ("cached" if s.id in crawls.cached else "crawled"),
                "documents": per_source.get(s.id, 0),
                "fetches": ", ".join(f"{k} {v}" for k, v in sorted((ok or {}).get("attempt_outcomes", {}).items())),
                "detail": crawls.failed.get(s.id) or (outcomes.get(s.id) or {}).get("reason", ""),
            }
        )
    try:
        create_table_artifact(
            rows,
            key="gongkai-run",
            description=(
                f"run {run_id}: {parsed['documents']} documents, {parsed['parsed_now']} parsed now, "
                f"{parsed['cached']} from the cache, {parsed['parse_failed']} failed"
            ),
        )
    except Exception as err:  # noqa: BLE001 - an artifact is a convenience; the run does not depend on it
        get_run_logger().warning("could not create the run artifact: %s", err)


@flow(name="gongkai-run", task_runner=ThreadPoolTaskRunner(max_workers=limits.THREADS), log_prints=True)  # type: ignore[arg-type]  # prefect 3.8's stubs
def run_sources(
    sources_file: str,
    warehouse: str = "data/warehouse.duckdb",
    data_dir: str = "data",
    years: list[int] | None = None,
    run_id: str | None = None,
    crawl_settings: dict | None = None,
    crawl_timeout_s: float = 1800.0,
    crawl_retries: int = 2,
    crawl_retry_delay_s: float = 60.0,
    max_crawls: int = limits.DEFAULT_CRAWLS,
    parse_timeout_s: float = 600.0,
    source_ids: list[str] | None = None,
) -> dict:
    """Crawl, parse and load the sources of a YAML file (``crawl_settings``: Scrapy settings for every
    crawl, e.g. ``{"DOWNLOAD_DELAY": 0}`` for a local portal)."""
    return run_pipeline(
        sources_file,
        warehouse=warehouse,
        data_dir=data_dir,
        years=years,
        run_id=run_id,
        source_ids=source_ids,
        crawl_settings=crawl_settings,
        crawl_timeout_s=crawl_timeout_s,
        crawl_retries=crawl_retries,
        crawl_retry_delay_s=crawl_retry_delay_s,
        max_crawls=max_crawls,
        parse_timeout_s=parse_timeout_s,
    )
