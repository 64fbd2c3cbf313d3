"""Global concurrency limits (held on the Prefect server, so they bind every flow run at once): one
warehouse writer, one crawl per portal host."""

from __future__ import annotations

import logging
from contextlib import contextmanager
from typing import Iterator
from urllib.parse import urlsplit

log = logging.getLogger(__name__)

WRITER = "warehouse-writer"
MAX_CRAWLS = 200  # sources crawled at once, at most: a crawl task waits in its thread while its source is
# crawled with others in one scrapy process (crawler/batch.py), so a thread costs no process
PARSE_THREADS = 12  # parse tasks in flight (they wait on the parse pool, which uses the cores)
THREADS = PARSE_THREADS + MAX_CRAWLS  # task-runner threads of a gongkai flow
DEFAULT_CRAWLS = 100  # sources in flight by default (max_crawls): four scrapy processes of GONGKAI_SOURCES_PER_CRAWL
# (25) each; measured in docs/benchmarks.md (simulated nationwide run)


DEFAULT_PORTS = {"http": 80, "https": 443}


def host_of(url: str) -> str:
    """The portal a URL belongs to: its host name, with the port when it is not the scheme's default
    (``http://x.gov.cn`` and ``https://x.gov.cn`` are one portal, ``x.gov.cn:8080`` is another)."""
    parts = urlsplit(url)
    host = (parts.hostname or "unknown").lower()
    try:
        port = parts.port
    except ValueError:
        port = None
    return f"{host}:{port}" if port and port != DEFAULT_PORTS.get(parts.scheme.lower()) else host


def host_limit(host: str) -> str:
    return f"host:{host}"


def ensure(names_limits: dict[str, int]) -> list[str]:
    """Create the limits that do not exist yet (an operator's own setting, e.g. a writer limit raised
    for a DuckLake warehouse, is kept); returns the names created."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.actions import GlobalConcurrencyLimitCreate
    from prefect.exceptions import ObjectAlreadyExists, ObjectNotFound

    created = []
    try:
        with get_client(sync_client=True) as client:
            for name, limit in names_limits.items():
                try:
                    client.read_global_concurrency_limit_by_name(name)
                    continue  # exists: asking to create it again makes the server log a traceback
                except ObjectNotFound:
                    pass
                try:
                    client.create_global_concurrency_limit(GlobalConcurrencyLimitCreate(name=name, limit=limit))
                    created.append(name)
                except ObjectAlreadyExists:  # created by another run in between
                    pass
    except Exception as err:  # noqa: BLE001 - no API reachable: the flow still runs, without cross-run limits
        log.warning("could not create concurrency limits (%s); continuing without them", err)
    return created


def on_server() -> bool:
    """A Prefect server is configured (``PREFECT_API_URL``); without one, each run (``gongkai run``)
    starts a temporary server of its own over the SQLite database of ``PREFECT_HOME``."""
    from prefect.settings import PREFECT_API_URL

    return bool(PREFECT_API_URL.value())


@contextmanager
def hold(name: str) -> Iterator[None]:
    """One slot of the global limit ``name`` for the block, on a server. Without one the slot is not
    taken: a temporary server never revokes the lease of a run killed with -9 (Prefect runs no
    repossessor there), so its slot would stay taken in the database and the next run would wait for
    it forever; inside one run the lanes already keep one crawl per host and there is one load."""
    if not on_server():
        yield
        return
    from prefect.concurrency.sync import concurrency

    with concurrency(name, occupy=1, strict=False):
        yield
