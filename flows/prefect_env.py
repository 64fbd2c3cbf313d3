"""Prefect settings gongkai relies on, applied before Prefect is imported."""
from __future__ import annotations

import os
from pathlib import Path


def configure(data_dir: str | os.PathLike = "data") -> None:
    """Persist task results under ``DATA/prefect-results`` (the parse cache lives there, keyed by
    document sha256 + parser version) unless the operator configured storage already."""
    data = Path(data_dir).resolve()
    os.environ.setdefault("PREFECT_LOCAL_STORAGE_PATH", str(data / "prefect-results"))
    os.environ.setdefault("PREFECT_RESULTS_PERSIST_BY_DEFAULT", "true")
    os.environ.setdefault("PREFECT_SERVER_ALLOW_EPHEMERAL_MODE", "true")
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "INFO")
    # an ephemeral server needs no telemetry and must not phone home from an offline machine
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("DO_NOT_TRACK", "1")
