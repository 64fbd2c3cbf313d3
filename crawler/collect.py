"""Run one source's crawl as a ``scrapy crawl portal`` subprocess with a hard timeout."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from .records import read_jsonl
from .source_outcome import SourceOutcome, judge_source
from .sources import load_sources

REPO_ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class CrawlResult:
    source_id: str
    returncode: int
    fetches_path: str
    documents_path: str
    stats: dict = field(default_factory=dict)
    n_documents: int = 0
    outcomes: dict = field(default_factory=dict)  # outcome → number of fetch records
    timed_out: bool = False
    stderr_tail: str = ""
    source_outcome: SourceOutcome | None = None  # ok | partial | empty | blocked | down, with its reason

    @property
    def ok(self) -> bool:
        return self.returncode == 0 and not self.timed_out


def crawl_command(
    sources_file, source_id, run_id, data_dir, *, jobdir=True, extra_settings=None, spider_args: dict | None = None
) -> list[str]:
    data = Path(data_dir).resolve()
    cmd = [
        sys.executable,
        "-m",
        "scrapy",
        "crawl",
        "portal",
        "-a",
        f"sources={Path(sources_file).resolve()}",
        "-a",
        f"source={source_id}",
        "-a",
        f"run_id={run_id}",
        "-a",
        f"data_dir={data}",
    ]
    for k, v in (spider_args or {}).items():
        cmd += ["-a", f"{k}={v}"]
    settings = dict(extra_settings or {})
    if jobdir:
        settings.setdefault("JOBDIR", str(data / "runs" / run_id / source_id / "jobdir"))
    for k, v in settings.items():
        cmd += ["-s", f"{k}={v}"]
    return cmd


def crawl_source(
    sources_file,
    source_id,
    run_id,
    data_dir,
    *,
    timeout_s: float = 1800.0,
    jobdir: bool = True,
    extra_settings: dict | None = None,
    grace_s: float = 20.0,
    spider_args: dict | None = None,
) -> CrawlResult:
    """Crawl one source; a run that outlives ``timeout_s`` gets SIGTERM (Scrapy shuts down cleanly and
    keeps its JOBDIR so a retry resumes), then SIGKILL after ``grace_s``."""
    load_sources(sources_file).get(source_id)  # a bad file or id fails here with one line
    run_dir = Path(data_dir) / "runs" / run_id / source_id
    run_dir.mkdir(parents=True, exist_ok=True)
    cmd = crawl_command(
        sources_file, source_id, run_id, data_dir, jobdir=jobdir, extra_settings=extra_settings, spider_args=spider_args
    )
    log_path = run_dir / "crawl.log"
    rc, timed_out = run_logged(cmd, log_path, timeout_s, grace_s)
    return read_result(source_id, run_dir, rc, timed_out, log_path)


def run_logged(
    cmd: list[str],
    log_path: Path,
    timeout_s: float,
    grace_s: float,
    poll: Callable[[], None] | None = None,
    every_s: float = 0.5,
) -> tuple[int, bool]:
    """Run a scrapy command with its output appended to ``log_path``; (exit status, timed out).
    ``poll`` is called every ``every_s`` while it runs."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO_ROOT), env.get("PYTHONPATH", "")) if p)
    env.setdefault("SCRAPY_SETTINGS_MODULE", "crawler.settings")
    timed_out = False
    with open(log_path, "ab") as log:
        proc = subprocess.Popen(
            cmd, cwd=REPO_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL
        )
        try:
            rc = _wait(proc, time.monotonic() + timeout_s, poll, every_s)
        except subprocess.TimeoutExpired:
            timed_out = True
            proc.send_signal(signal.SIGTERM)
            try:
                rc = proc.wait(timeout=grace_s)
            except subprocess.TimeoutExpired:
                proc.kill()
                rc = proc.wait()
    return rc, timed_out


def _wait(proc: subprocess.Popen, deadline: float, poll: Callable[[], None] | None, every_s: float) -> int:
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            raise subprocess.TimeoutExpired(proc.args, 0)
        try:
            return proc.wait(timeout=left if poll is None else min(left, every_s))
        except subprocess.TimeoutExpired:
            if poll is None or time.monotonic() >= deadline:
                raise
            poll()


def read_result(
    source_id: str, run_dir: Path, returncode: int, timed_out: bool = False, log_path: Path | None = None
) -> CrawlResult:
    fetches, documents = run_dir / "fetches.jsonl", run_dir / "documents.jsonl"
    stats_path = run_dir / "stats.json"
    try:
        stats = json.loads(stats_path.read_text("utf-8")) if stats_path.exists() else {}
    except (OSError, json.JSONDecodeError):
        stats = {}
    records = read_jsonl(fetches)
    counts = Counter(r.get("outcome") for r in records)
    n_documents = len(read_jsonl(documents))
    tail = ""
    if log_path is not None and log_path.exists():
        tail = "\n".join(log_path.read_text("utf-8", "replace").splitlines()[-15:])
    return CrawlResult(
        source_id=source_id,
        returncode=returncode,
        fetches_path=str(fetches),
        documents_path=str(documents),
        stats=stats,
        n_documents=n_documents,
        outcomes=dict(counts),
        timed_out=timed_out,
        stderr_tail=tail,
        source_outcome=judge_source(records, n_documents, stats, returncode=returncode, timed_out=timed_out),
    )
