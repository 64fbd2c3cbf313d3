"""The ``nationwide`` flow: every portal of the registry, spread over every worker of the ``gongkai`` pool.

It splits the registry into shards by host (a host is never in two shards, so the one-crawl-per-host
politeness holds across machines) and runs each shard as its own flow run of the
``nationwide-shard/shard`` deployment through Prefect's ``run_deployment``: any number of process
workers on any number of machines take them; there is no scheduler of ours between machines. A
shard is the ``gongkai-run`` pipeline over its sources (crawl, parse, load into the shared
warehouse), with its own run id ``<run id>-sNNN``.

Retries: a shard that fails is retried alone by Prefect (``retries`` of the shard flow), or from the
UI/CLI (``prefect flow-run retry <shard run>``). The parent waits for every shard and fails if one
did not complete; retrying the parent (automatically after ``retry_delay_seconds``, or from the UI)
finds its shards again by their idempotency keys: a completed shard is never redone, a failed or
crashed one is scheduled again (its finished crawls and every parse come from the shared cache).
"""

from __future__ import annotations

import time
from pathlib import Path

from prefect import flow, get_run_logger
from prefect.task_runners import ThreadPoolTaskRunner

from crawler.sources import load_sources
from flows import limits, runfiles
from flows.collect import by_host, select
from flows.limits import THREADS
from flows.run import run_pipeline

REGISTRY = "sources/registry.yaml"
SHARD_DEPLOYMENT = "nationwide-shard/shard"
FINAL = {"COMPLETED", "FAILED", "CRASHED", "CANCELLED"}
REDO = {"FAILED", "CRASHED", "CANCELLED"}
PAGE = 200


def shard_hosts(sources: list, hosts: dict[str, str], hosts_per_shard: int) -> list[list[str]]:
    """Source ids per shard: hosts in sorted order, ``hosts_per_shard`` hosts to a shard, every source of
    a host in the same shard. Deterministic, so a retried parent finds the same shards."""
    by: dict[str, list[str]] = {}
    for s in sources:
        by.setdefault(hosts[s.id], []).append(s.id)
    ordered = sorted(by)
    step = max(1, hosts_per_shard)
    return [[sid for h in ordered[i : i + step] for sid in by[h]] for i in range(0, len(ordered), step)]


@flow(
    name="nationwide-shard",
    task_runner=ThreadPoolTaskRunner(max_workers=THREADS),
    log_prints=True,
    retries=1,
    retry_delay_seconds=3600,
)
def shard(
    registry: str,
    source_ids: list[str],
    run_id: str,
    warehouse: str = "data/warehouse.duckdb",
    data_dir: str = "data",
    years: list[int] | None = None,
    max_crawls: int = limits.DEFAULT_CRAWLS,
    crawl_timeout_s: float = 1800.0,
    crawl_retries: int = 2,
    crawl_retry_delay_s: float = 60.0,
    crawl_settings: dict | None = None,
) -> dict:
    """Collect, parse and load the named sources of the registry (one shard of a nationwide run)."""
    return run_pipeline(
        registry,
        warehouse=warehouse,
        data_dir=data_dir,
        years=years,
        source_ids=source_ids,
        run_id=run_id,
        crawl_settings=crawl_settings,
        crawl_timeout_s=crawl_timeout_s,
        crawl_retries=crawl_retries,
        crawl_retry_delay_s=crawl_retry_delay_s,
        max_crawls=max_crawls,
    )


@flow(
    name="nationwide",
    task_runner=ThreadPoolTaskRunner(max_workers=THREADS),
    log_prints=True,
    retries=1,
    retry_delay_seconds=3600,
)
def nationwide(
    registry: str = REGISTRY,
    years: list[int] | None = None,
    warehouse: str = "data/warehouse.duckdb",
    data_dir: str = "data",
    hosts_per_shard: int = 20,
    max_crawls: int = limits.DEFAULT_CRAWLS,
    crawl_timeout_s: float = 1800.0,
    crawl_retries: int = 2,
    crawl_retry_delay_s: float = 60.0,
    crawl_settings: dict | None = None,
    source_ids: list[str] | None = None,
    run_id: str | None = None,
    shard_deployment: str = SHARD_DEPLOYMENT,
    crash_retries: int = 2,
    poll_s: float = 2.0,
) -> dict:
    """Run every source of the registry (or ``source_ids`` of it) as shards on the work pool; called
    outside a deployment (a direct call, a test), the whole registry runs in this flow run."""
    from prefect.runtime import deployment

    logger = get_run_logger()
    registry = str(Path(registry).resolve())
    sources, hosts = by_host(select(load_sources(registry), source_ids))
    run_id = run_id or runfiles.default_run_id()
    common = {
        "registry": registry,
        "warehouse": warehouse,
        "data_dir": str(Path(data_dir).resolve()),
        "years": years,
        "max_crawls": max_crawls,
        "crawl_timeout_s": crawl_timeout_s,
        "crawl_retries": crawl_retries,
        "crawl_retry_delay_s": crawl_retry_delay_s,
        "crawl_settings": crawl_settings,
    }
    if deployment.id is None:
        return shard.fn(source_ids=source_ids, run_id=run_id, **common)
    shards = shard_hosts(sources, hosts, hosts_per_shard)
    logger.info(
        "run %s: %d sources on %d hosts in %d shards → %s",
        run_id,
        len(sources),
        len(set(hosts.values())),
        len(shards),
        warehouse,
    )
    runs = {f"{run_id}-s{k:03d}": ids for k, ids in enumerate(shards)}
    ids = {
        name: _submit(shard_deployment, name, {**common, "source_ids": members, "run_id": name})
        for name, members in runs.items()
    }
    states = _wait(ids, crash_retries, poll_s)
    failed = {name: state for name, state in states.items() if state != "COMPLETED"}
    summary = {
        "run_id": run_id,
        "sources": len(sources),
        "shards": len(shards),
        "completed": sorted(set(states) - set(failed)),
        "failed": failed,
        "flow_runs": {name: str(fid) for name, fid in ids.items()},
    }
    logger.info("run %s: %d of %d shards completed", run_id, len(summary["completed"]), len(shards))
    if failed:
        raise RuntimeError(
            f"{len(failed)} of {len(shards)} shards did not complete: "
            + ", ".join(f"{n} {s}" for n, s in sorted(failed.items()))
        )
    return summary


def _submit(deployment: str, name: str, parameters: dict):
    """The shard's flow run: created once (idempotency key = shard run id); on a retry of the parent a
    completed one is left alone and a failed or crashed one is scheduled again, as the UI's Retry does."""
    from prefect.client.orchestration import get_client
    from prefect.deployments import run_deployment

    fr = run_deployment(
        deployment,
        parameters=parameters,
        timeout=0,
        idempotency_key=name,
        flow_run_name=name,
        tags=["gongkai", "nationwide-shard"],
    )
    if fr.state is not None and fr.state.type.value in REDO:
        with get_client(sync_client=True) as client:
            _reschedule(client, fr.id, "retried by its nationwide run")
        get_run_logger().info("%s was %s: scheduled again", name, fr.state.type.value)
    return fr.id


def _reschedule(client, flow_run_id, message: str) -> None:
    """What the UI's Retry and ``prefect flow-run retry`` do: Scheduled, forced; a worker takes it."""
    from prefect.states import Scheduled

    client.set_flow_run_state(flow_run_id, Scheduled(message=message), force=True)


def _wait(ids: dict, crash_retries: int, poll_s: float) -> dict[str, str]:
    """Final state type of every shard run. A shard retried by Prefect or from the UI goes back to
    Scheduled/Running; only a final state that stays counts. A shard that Crashed (its worker or
    machine died: flows/zombies.py marks it) is scheduled again here, up to ``crash_retries`` times:
    Prefect's own retries do not cover a run whose process is gone."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId

    names = {fid: name for name, fid in ids.items()}
    states: dict[str, str] = dict.fromkeys(ids, "PENDING")
    again = dict.fromkeys(ids, 0)
    with get_client(sync_client=True) as client:
        while True:  # one API call per 200 shards (the server's page size) per poll, not one per shard
            every = list(names)
            runs = [
                fr
                for i in range(0, len(every), PAGE)
                for fr in client.read_flow_runs(
                    flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=every[i : i + PAGE])), limit=PAGE
                )
            ]
            for fr in runs:
                name = names[fr.id]
                states[name] = fr.state.type.value if fr.state else "PENDING"
                if states[name] == "CRASHED" and again[name] < crash_retries:
                    again[name] += 1
                    _reschedule(client, fr.id, "its worker stopped: scheduled again")
                    get_run_logger().warning(
                        "%s crashed (%s): scheduled again (%d of %d)",
                        name,
                        fr.state.message,
                        again[name],
                        crash_retries,
                    )
                    states[name] = "SCHEDULED"
            if all(s in FINAL for s in states.values()):
                return states
            time.sleep(poll_s)
