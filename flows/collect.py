"""Collect: each source's crawl as a Prefect task (a ``scrapy crawl`` subprocess with a hard timeout,
its JOBDIR under ``DATA/runs/<run>/<source>/``, stats read back), and the ``collect`` flow.

Only transient failures are retried, with backoff: a portal that answered nothing usable (down,
refused, 5xx, timeouts) and a crawl stopped by the hard timeout (the retry resumes from the
JOBDIR). A portal that only shows WAF challenges, a bad sources entry and a crashed crawler are not.
A finished crawl is cached by ``crawl-<run id>-<source>``: a retried flow run does not crawl it again.
"""

from __future__ import annotations

import json
import shutil
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path

from prefect import flow, get_run_logger, task
from prefect.task_runners import ThreadPoolTaskRunner

from crawler.batch import batcher, sources_per_crawl
from crawler.sources import load_sources
from flows import limits, runfiles
from flows.limits import host_of
from flows.prefect_env import results_dir

USABLE = ("ok", "not_modified")


class CrawlError(RuntimeError):
    transient = False


class SourceUnreachable(CrawlError):
    """The portal answered nothing usable (down, refused, 5xx, timed out)."""

    transient = True


class CrawlTimedOut(CrawlError):
    """The crawl outlived its hard timeout; its JOBDIR is kept, so a retry resumes it."""

    transient = True


class SourceBlocked(CrawlError):
    """Every page answered with a WAF challenge or was refused by policy: a retry soon will not help."""


class SourceEmpty(CrawlError):
    """The portal answered but no report was listed (a wrong start URL, an unknown family): a retry
    finds nothing more; the registry entry needs a person. Raised so the task run is Failed, not a
    Completed that hides it."""


class CrawlFailed(CrawlError):
    """The crawler itself exited with an error (see crawl.log)."""


class SourcesFailed(RuntimeError):
    """Some sources could not be collected; the rest of the run went through."""

    @classmethod
    def of(cls, failed: dict[str, str], total: int, shown: int = 10) -> "SourcesFailed":
        reasons = list(failed.values())
        more = f"; … and {len(reasons) - shown} more (see the run's artifact)" if len(reasons) > shown else ""
        return cls(f"{len(reasons)} of {total} sources could not be collected: " + "; ".join(reasons[:shown]) + more)


def _transient(task, task_run, state) -> bool:
    try:
        state.result()
    except CrawlError as err:
        return err.transient
    except BaseException:  # noqa: BLE001 - any other failure is not worth a retry; Prefect keeps the state
        return False
    return False


def backoff(base_s: float, retries: int) -> list[float]:
    """Retry delays: base, 4 × base, 16 × base, …"""
    return [base_s * 4**i for i in range(max(0, retries))]


def prepare_jobdir(source_dir: Path) -> str:
    """Before an attempt: ``resume`` keeps the JOBDIR of a crawl that was shut down cleanly (SIGTERM
    at the hard timeout: stats say ``shutdown``); ``fresh`` removes the JOBDIR of a crawl that
    finished (or left unreadable stats: its seen-requests would drop every URL of the new attempt, the start page included);
    ``restart`` removes the JOBDIR of a crawl that was killed (no stats: SIGKILL, out of memory, the
    machine died): Scrapy saves its request queue only when it closes, while its seen-requests file
    grows as it goes, so resuming would drop every request that was queued but not yet fetched;
    ``new`` when there is none."""
    jobdir, stats_path = source_dir / "jobdir", source_dir / "stats.json"
    stats = None
    if stats_path.exists():
        try:
            stats = json.loads(stats_path.read_text("utf-8"))
        except (OSError, json.JSONDecodeError):
            stats = {}
        stats_path.unlink()  # this attempt writes its own; none afterwards means it was killed
    if not jobdir.exists():
        return "new"
    if stats is not None and stats.get("finish_reason") == "shutdown":
        return "resume"
    shutil.rmtree(jobdir)
    return "restart" if stats is None else "fresh"


def records_from(path: Path, offset: int) -> list[dict]:
    """The JSONL records appended to ``path`` after byte ``offset`` (this attempt's fetches)."""
    if not path.exists():
        return []
    out = []
    with open(path, "rb") as fh:
        fh.seek(offset)
        for line in fh:
            try:
                out.append(json.loads(line))
            except (json.JSONDecodeError, UnicodeDecodeError):
                continue  # a torn line of a killed crawl
    return out


def judge(source_id: str, result, attempt: Counter, timeout_s: float) -> None:
    """Raise the CrawlError an attempt deserves (``attempt``: outcomes of its non-robots fetches)."""
    usable = sum(attempt[o] for o in USABLE)
    detail = ", ".join(f"{k} {v}" for k, v in sorted(attempt.items())) or "no request answered"
    if result.timed_out:
        raise CrawlTimedOut(
            f"{source_id}: stopped at the hard timeout of {timeout_s:g} s ({usable} pages "
            f"fetched); a retry resumes from the JOBDIR"
        )
    if result.returncode != 0:
        last = (result.stderr_tail.strip().splitlines() or ["no output"])[-1][:300]
        raise CrawlFailed(f"{source_id}: the crawler exited with status {result.returncode}: {last}")
    outcome = getattr(result, "source_outcome", None)
    if usable and outcome is not None and outcome.outcome == "empty":
        raise SourceEmpty(f"{source_id}: empty: {outcome.reason}; see {result.fetches_path}")
    if usable:
        return
    if attempt["blocked"] and not attempt["error"]:
        raise SourceBlocked(
            f"{source_id}: every page was a WAF challenge or refused ({detail}); see {result.fetches_path}"
        )
    raise SourceUnreachable(f"{source_id}: portal unreachable ({detail}); see {result.fetches_path}")


def _crawl_key(context, parameters) -> str:
    return f"crawl-{parameters['run_id']}-{parameters['source_id']}"


@task(
    name="crawl",
    retries=2,
    retry_delay_seconds=backoff(60, 2),
    retry_jitter_factor=0.2,
    retry_condition_fn=_transient,
    cache_key_fn=_crawl_key,
    cache_expiration=timedelta(days=30),
    persist_result=True,
    task_run_name="crawl-{source_id}",
)
def crawl(
    sources_file: str,
    source_id: str,
    run_id: str,
    data_dir: str,
    host: str,
    timeout_s: float = 1800.0,
    extra_settings: dict | None = None,
) -> dict:
    """Crawl one source, holding the ``host:<host>`` limit so no other run crawls that portal meanwhile."""
    logger = get_run_logger()
    data = Path(data_dir)
    sdir = runfiles.source_dir(data, run_id, source_id)
    sdir.mkdir(parents=True, exist_ok=True)
    mode = prepare_jobdir(sdir)
    fetches = sdir / "fetches.jsonl"
    offset = fetches.stat().st_size if fetches.exists() else 0
    started = time.monotonic()
    with limits.hold(limits.host_limit(host)):
        logger.info("crawling %s (%s, JOBDIR %s)", source_id, host, mode)
        # in one scrapy process with the other sources of the run crawled at the same time
        result = batcher().crawl(
            sources_file, source_id, run_id, data_dir, timeout_s=timeout_s, extra_settings=extra_settings
        )
    attempt = Counter(r.get("outcome") for r in records_from(fetches, offset) if r.get("kind") != "robots")
    runfiles.write_outcome(data, run_id, source_id, result.source_outcome)
    if result.source_outcome.outcome == "partial":
        logger.warning("%s", result.source_outcome.line(source_id))
    judge(source_id, result, attempt, timeout_s)
    summary = {
        "source_id": source_id,
        "host": host,
        "returncode": result.returncode,
        "finish_reason": result.stats.get("finish_reason"),
        "jobdir": mode,
        "attempt_outcomes": dict(attempt),
        "outcomes": dict(result.outcomes),
        "n_documents": result.n_documents,
        "fetches_path": result.fetches_path,
        "outcome": result.source_outcome.outcome,
        "outcome_reason": result.source_outcome.reason,
        "documents_path": result.documents_path,
        "seconds": round(time.monotonic() - started, 1),
    }
    logger.info(
        "%s: %d documents listed, fetches %s (%.0f s)",
        source_id,
        result.n_documents,
        summary["attempt_outcomes"],
        summary["seconds"],
    )
    return summary


def crawl_task(data: Path, retries: int, retry_delay_s: float):
    return crawl.with_options(
        retries=retries, retry_delay_seconds=backoff(retry_delay_s, retries), result_storage=results_dir(data)
    )


def select(sf, source_ids: list[str] | None) -> list:
    """The sources of a file, or the named ones (an unknown id is a one-line SourcesError)."""
    return [sf.get(sid) for sid in source_ids] if source_ids else list(sf.sources)


def by_host(sources: list) -> tuple[list, dict[str, str]]:
    """Sources ordered so consecutive ones are on different hosts, and each one's host."""
    hosts = {s.id: host_of(s.start_urls[0]) for s in sources}
    groups: dict[str, list] = {}
    for s in sources:
        groups.setdefault(hosts[s.id], []).append(s)
    ordered = []
    while any(groups.values()):
        for queue in groups.values():
            if queue:
                ordered.append(queue.pop(0))
    return ordered, hosts


@flow(name="collect", task_runner=ThreadPoolTaskRunner(max_workers=limits.MAX_CRAWLS), log_prints=True)  # type: ignore[arg-type]  # prefect 3.8's stubs
def collect(
    sources_file: str,
    run_id: str | None = None,
    data_dir: str = "data",
    source_ids: list[str] | None = None,
    crawl_settings: dict | None = None,
    crawl_timeout_s: float = 1800.0,
    crawl_retries: int = 2,
    crawl_retry_delay_s: float = 60.0,
    max_crawls: int = limits.DEFAULT_CRAWLS,
) -> dict:
    """Crawl the sources of a file into ``DATA/runs/<run_id>/`` (no parsing, no loading)."""
    from runner.lanes import CrawlLane, drain

    from flows.preflight import preflight

    logger = get_run_logger()
    preflight(sources_file=sources_file, data_dir=data_dir, source_ids=source_ids)  # before any request
    sources_file = str(Path(sources_file).resolve())
    data = Path(data_dir).resolve()
    sf = load_sources(sources_file)
    sources, hosts = by_host(select(sf, source_ids))
    run_id = run_id or runfiles.default_run_id()
    runfiles.write_manifest(data, run_id, sources_file, runfiles.source_rows(sources), None)
    limits.ensure({limits.host_limit(h): 1 for h in set(hosts.values())})
    task_ = crawl_task(data, crawl_retries, crawl_retry_delay_s)
    lane = CrawlLane(
        task_,
        sources,
        hosts,
        lambda s: (sources_file, s.id, run_id, str(data), hosts[s.id], crawl_timeout_s, crawl_settings),
        min(max_crawls, limits.MAX_CRAWLS),
        batch=sources_per_crawl(),
    )
    drain([lane])
    logger.info("run %s: %d sources crawled, %d failed", run_id, len(lane.ok), len(lane.failed))
    if lane.failed:
        raise SourcesFailed.of(lane.failed, len(sources))
    return {"run_id": run_id, "sources": lane.ok}
