"""Prefect settings gongkai relies on, applied before Prefect is imported, and where results live."""

from __future__ import annotations

import os
from pathlib import Path


def results_dir(data_dir: str | os.PathLike) -> Path:
    """``DATA/prefect-results``: the persisted results of crawl and parse tasks, i.e. their cache
    (``crawl-<run>-<source>``, ``parse-<sha256>-<parser version>``). The same for a CLI run and for a
    deployment run on one data directory, so they share it."""
    return Path(data_dir).resolve() / "prefect-results"


def configure(data_dir: str | os.PathLike = "data") -> None:
    """Defaults for a CLI run (``gongkai run``/``demo``): results persisted under ``DATA/prefect-results``,
    an ephemeral API when no server is configured, no telemetry; the operator's settings win."""
    os.environ.setdefault("PREFECT_LOCAL_STORAGE_PATH", str(results_dir(data_dir)))
    os.environ.setdefault("PREFECT_RESULTS_PERSIST_BY_DEFAULT", "true")
    os.environ.setdefault("PREFECT_SERVER_ALLOW_EPHEMERAL_MODE", "true")
    # the temporary server migrates a fresh SQLite file and imports the whole API before it answers:
    # 20-30 s on a loaded 2-core machine, longer than Prefect's default wait of 20 s
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "INFO")
    # an ephemeral server needs no telemetry and must not phone home from an offline machine
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("DO_NOT_TRACK", "1")
