"""A test-only pause at a named point of a run, so the crash tests can kill -9 the pipeline exactly
there. Inert unless ``GONGKAI_TEST_PAUSE`` is set.

``GONGKAI_TEST_PAUSE=<point>[@<n>][,…]``: the first ``n`` arrivals at ``<point>`` (default 0) pass; every
later one touches ``$GONGKAI_TEST_PAUSE_DIR/<point>.paused.<pid>`` and sleeps
``GONGKAI_TEST_PAUSE_SECONDS`` (default 600) before going on. Arrivals are counted with files in that
directory, so they add up across processes. Points:

- ``parse``: a parse task, before it starts the parse's child (``flows.process.parse_document``);
- ``load``: inside the load's transaction, every table merged, before COMMIT (``flows.load``).
"""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path
from typing import Callable

ENV = "GONGKAI_TEST_PAUSE"


def _wanted(point: str) -> int | None:
    """Arrivals let through before ``point`` pauses, or None when it never does."""
    for item in os.environ.get(ENV, "").split(","):
        name, _, skip = item.strip().partition("@")
        if name == point:
            return int(skip or 0)
    return None


def pause(point: str) -> None:
    """Stop here for a while if the environment asks for it (see the module docstring)."""
    skip = _wanted(point)
    if skip is None:
        return
    where = Path(os.environ.get("GONGKAI_TEST_PAUSE_DIR") or tempfile.gettempdir())
    where.mkdir(parents=True, exist_ok=True)
    arrived = len(list(where.glob(f"{point}.arrival.*")))
    (where / f"{point}.arrival.{os.getpid()}.{time.time_ns()}").touch()
    if arrived < skip:
        return
    (where / f"{point}.paused.{os.getpid()}").touch()
    time.sleep(float(os.environ.get("GONGKAI_TEST_PAUSE_SECONDS") or 600))


def hook(point: str) -> Callable[..., None] | None:
    """A callback pausing at ``point`` when the environment asks for it, else None."""
    if _wanted(point) is None:
        return None
    return lambda *args: pause(point)
