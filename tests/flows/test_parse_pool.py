"""Parses of a flow through runner.parse: one supervised child each, as many at once as cores, a
stuck parse stopped without stopping the run, every parse written to the ledger."""

from __future__ import annotations

import json
import os
import random
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from gongkai.samples.render_html import render_html
from gongkai.samples.values import generate_report
from pipeline.limits import Limits
from pipeline.record import ParseError
from runner import parse as parsepool
from runner.supervisor import run_supervised
from tests.flows import pool_jobs
from tests.flows.portals import BROKEN_DOCX

pytestmark = pytest.mark.slow  # child processes


def test_one_parse_per_core_at_once(monkeypatch):
    monkeypatch.delenv("GONGKAI_PARSE_WORKERS", raising=False)
    assert parsepool.workers() == (os.cpu_count() or 1)
    monkeypatch.setenv("GONGKAI_PARSE_WORKERS", "3")
    assert parsepool.workers() == 3
    monkeypatch.setenv("GONGKAI_PARSE_WORKERS", "many")
    assert parsepool.workers() == (os.cpu_count() or 1)


@pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="needs two cores")
def test_two_parses_run_at_the_same_time_in_two_processes(tmp_path):
    """Each job waits until the other has started: run one after the other, the first would never return."""
    with ThreadPoolExecutor(2) as threads:
        futs = [
            threads.submit(run_supervised, pool_jobs.rendezvous, (str(tmp_path), 2), Limits(max_seconds=300))
            for _ in range(2)
        ]
        pids = {f.result() for f in futs}
    assert len(pids) == 2 and os.getpid() not in pids


def _state(pid: int) -> str:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("State:"):
                return line.split()[1]
    except FileNotFoundError:
        return "gone"
    return "?"


def test_a_stuck_job_is_killed_and_the_next_one_gets_a_fresh_process(tmp_path):
    warm = run_supervised(pool_jobs.pid, (), Limits())
    pid_file = tmp_path / "stuck.pid"
    with pytest.raises(ParseError, match="over the time limit of 3 s") as err:
        run_supervised(pool_jobs.stuck, (str(pid_file),), Limits(max_seconds=3))
    assert err.value.kind == "timeout"
    stuck_pid = int(pid_file.read_text())
    deadline = time.monotonic() + 30
    while _state(stuck_pid) not in ("gone", "Z") and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _state(stuck_pid) in ("gone", "Z"), "the stuck worker process is still running"
    after = run_supervised(pool_jobs.pid, (), Limits())
    assert after not in (stuck_pid, warm) and after != os.getpid()


def test_parses_are_written_to_the_ledger(tmp_path):
    report = generate_report(random.Random(7), template="gov2021", year=2023, org="示例市统计局", size="small")
    good, bad = tmp_path / "good", tmp_path / "bad"
    good.write_bytes(render_html(report))
    bad.write_bytes(BROKEN_DOCX)
    ledger = tmp_path / "parsed" / "parses.jsonl"
    results = {}

    def parse(path: Path, sha: str):
        results[sha] = parsepool.run_parse(str(path), path.name, sha, timeout_s=300, ledger=str(ledger), run_id="r")

    threads = [
        threading.Thread(target=parse, args=a)
        for a in ((good, "a" * 64), (bad, "b" * 64), (tmp_path / "gone", "c" * 64))
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results["a" * 64]["status"] == "ok" and results["a" * 64]["record"]["report"]["report_year"] == 2023
    assert (results["b" * 64]["status"], results["b" * 64]["error_kind"]) == ("failed", "unsupported")
    assert (results["c" * 64]["status"], results["c" * 64]["error_kind"]) == ("failed", "missing")
    entries = {e["sha256"]: e for e in map(json.loads, ledger.read_text().splitlines())}
    assert set(entries) == {"a" * 64, "b" * 64, "c" * 64}
    assert all(e["pid"] != os.getpid() and e["run_id"] == "r" and e["seconds"] >= 0 for e in entries.values())
    assert [entries[s]["status"] for s in ("a" * 64, "b" * 64)] == ["ok", "failed"]
