"""Global concurrency limits: one writer per warehouse, one crawl per portal host at a time."""
from __future__ import annotations

import logging

log = logging.getLogger(__name__)

WRITER = "warehouse-writer"


def host_limit(host: str) -> str:
    return f"host:{host}"


def ensure(names_limits: dict[str, int]) -> None:
    """Create (or set) the limits on the Prefect server so ``concurrency(...)`` blocks for real."""
    from prefect.client.orchestration import get_client

    try:
        with get_client(sync_client=True) as client:
            for name, limit in names_limits.items():
                client.upsert_global_concurrency_limit_by_name(name=name, limit=limit)
    except Exception as err:  # no server reachable: the flows still run, without cross-run limits
        log.warning("could not set concurrency limits (%s); continuing without them", err)
