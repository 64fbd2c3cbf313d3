"""Run one job in a child process and read its resource use from ``wait4``.

``os.wait4`` gives the rusage of exactly that child (its peak RSS ``ru_maxrss`` is the larger of
the child's own and that of the descendants it waited for, e.g. LibreOffice or the Scrapy crawl),
the same number ``getrusage(RUSAGE_CHILDREN)`` shows for a parent with this one child. The child
is started through :mod:`bench.launch`, so that it does not inherit this process's peak RSS.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
LAUNCHER = Path(__file__).with_name("launch.py")


@dataclass(frozen=True)
class ChildRun:
    job: dict
    ok: bool
    error: str | None
    output: dict = field(default_factory=dict)
    maxrss_kb: int = 0
    wall: float = 0.0
    cpu: float = 0.0  # user + system seconds of the child and its waited-for descendants


def child_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO), env.get("PYTHONPATH", "")) if p)
    env.setdefault("PYTHONHASHSEED", "0")
    env.update(extra or {})
    return env


def run_child(
    job: dict, workdir: Path, name: str, timeout_s: float = 900.0, env: dict[str, str] | None = None
) -> ChildRun:
    """Run ``job`` in ``python -m bench.child``; never raises for a failing or hanging child."""
    jobs = workdir / "jobs"
    jobs.mkdir(parents=True, exist_ok=True)
    job_path, out_path, log_path = jobs / f"{name}.json", jobs / f"{name}.out.json", jobs / f"{name}.log"
    usage_path = jobs / f"{name}.rusage.json"
    job_path.write_text(json.dumps(job, ensure_ascii=False), "utf-8")
    for p in (out_path, usage_path):
        p.unlink(missing_ok=True)
    cmd = [
        sys.executable,
        "-S",
        str(LAUNCHER),
        str(usage_path),
        sys.executable,
        "-m",
        "bench.child",
        str(job_path),
        str(out_path),
    ]
    started = time.perf_counter()
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(
            cmd,
            cwd=REPO,
            env=child_env(env),
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        status, usage, timed_out = _wait(proc.pid, timeout_s)
    proc.returncode = os.waitstatus_to_exitcode(status) if status is not None else -9
    wall = time.perf_counter() - started
    maxrss, cpu = (usage.ru_maxrss, usage.ru_utime + usage.ru_stime) if usage is not None else (0, 0.0)
    if usage_path.exists():  # the measured child's own numbers, read by the launcher
        try:
            u = json.loads(usage_path.read_text("utf-8"))
            maxrss, cpu = u["maxrss_kb"], u["utime"] + u["stime"]
        except (json.JSONDecodeError, KeyError):
            pass
    output: dict = {}
    if out_path.exists():
        try:
            output = json.loads(out_path.read_text("utf-8"))
        except json.JSONDecodeError:
            output = {}
    error = None
    if timed_out:
        error = f"timed out after {timeout_s:.0f} s"
    elif "fatal" in output:
        error = output["fatal"]
    elif proc.returncode != 0 or not output:
        tail = log_path.read_text("utf-8", "replace").strip().splitlines()[-1:] if log_path.exists() else []
        error = f"exit code {proc.returncode}" + (f": {tail[0][:200]}" if tail else "")
    return ChildRun(job, error is None, error, output, maxrss, wall, cpu)


def _wait(pid: int, timeout_s: float):
    deadline = time.monotonic() + timeout_s
    delay = 0.01
    while True:
        done, status, usage = os.wait4(pid, os.WNOHANG)
        if done:
            return status, usage, False
        if time.monotonic() > deadline:
            try:
                os.killpg(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            _, status, usage = os.wait4(pid, 0)
            return status, usage, True
        time.sleep(delay)
        delay = min(0.2, delay * 1.5)
