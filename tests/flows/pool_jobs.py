"""Jobs for the parse tests of the flows; module level, so that they pickle into a supervised child."""

from __future__ import annotations

import os
import time
from pathlib import Path


def rendezvous(directory: str, n: int, patience_s: float = 120.0) -> int:
    """Check in and wait until ``n`` processes have: only possible when ``n`` jobs run at once."""
    Path(directory, str(os.getpid())).touch()
    deadline = time.monotonic() + patience_s
    while len(os.listdir(directory)) < n:
        if time.monotonic() > deadline:
            raise TimeoutError(f"only {len(os.listdir(directory))} of {n} jobs ran at the same time")
        time.sleep(0.02)
    return os.getpid()


def stuck(pid_file: str) -> None:
    Path(pid_file).write_text(str(os.getpid()))
    time.sleep(3600)


def pid() -> int:
    return os.getpid()
