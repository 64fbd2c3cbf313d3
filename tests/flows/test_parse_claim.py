"""Nothing parsed twice across workers: two processes meeting the same bytes at once parse them once
(a claim beside the shared parse cache, runner/claim.py); a claim whose holder died is taken over."""

from __future__ import annotations

import hashlib
import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from runner import claim
from gongkai.samples.render_html import render_html
from gongkai.samples.values import generate_report

pytestmark = pytest.mark.slow  # processes and parse children

REPO = Path(__file__).resolve().parents[2]


def _document(data: Path) -> tuple[Path, str]:
    report = generate_report(random.Random(11), template="gov2021", year=2023, org="示例市统计局", size="small")
    body = render_html(report)
    sha = hashlib.sha256(body).hexdigest()
    path = data / "store" / f"{sha}.html"
    path.parent.mkdir(parents=True)
    path.write_bytes(body)
    return path, sha


def _worker(data: Path, path: Path, sha: str, pause_dir: Path, **env: str) -> subprocess.Popen:
    environ = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(p for p in (str(REPO), os.environ.get("PYTHONPATH", "")) if p),
        "GONGKAI_PARSE_WORKERS": "1",
        "GONGKAI_TEST_PAUSE_DIR": str(pause_dir),
        **env,
    }
    cmd = [sys.executable, "-m", "tests.flows.claim_worker", str(data), str(path), sha]
    return subprocess.Popen(cmd, env=environ, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _wait_paused(pause_dir: Path, proc: subprocess.Popen, timeout: float = 120) -> None:
    """Until the first worker holds the claim and sits in its parse (the ``parse`` test pause)."""
    deadline = time.monotonic() + timeout
    while not list(pause_dir.glob("parse.paused.*")):
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline, "the first worker never reached its parse"
        time.sleep(0.1)


def _ledger(data: Path, sha: str) -> list[dict]:
    path = data / "parsed" / "parses.jsonl"
    lines = path.read_text("utf-8").splitlines() if path.exists() else []
    return [e for e in map(json.loads, lines) if e["sha256"] == sha]


def _out(proc: subprocess.Popen) -> dict:
    out, err = proc.communicate(timeout=300)
    assert proc.returncode == 0, err[-2000:]
    return json.loads(out.strip().splitlines()[-1])


def test_two_workers_racing_on_one_document_parse_it_once(tmp_path):
    data, pauses = tmp_path / "data", tmp_path / "pauses"
    path, sha = _document(data)
    # the first worker pauses 4 s inside its parse, holding the claim; the second starts meanwhile
    first = _worker(data, path, sha, pauses, GONGKAI_TEST_PAUSE="parse", GONGKAI_TEST_PAUSE_SECONDS="4")
    _wait_paused(pauses, first)
    claims = list((data / "parsed").glob("*.claim"))
    assert len(claims) == 1 and json.loads(claims[0].read_text())["pid"] == first.pid
    second = _worker(data, path, sha, pauses)  # no pause asked: it would parse at once if it could
    a, b = _out(first), _out(second)
    assert a["status"] == "ok" and a == b
    runs = _ledger(data, sha)
    assert len(runs) == 1 and runs[0]["status"] == "ok"  # one parse ran, by the first worker's child
    assert not list((data / "parsed").glob("*.claim*"))  # nothing left behind


def test_a_claim_whose_holder_was_killed_is_taken_over(tmp_path):
    data, pauses = tmp_path / "data", tmp_path / "pauses"
    path, sha = _document(data)
    first = _worker(data, path, sha, pauses, GONGKAI_TEST_PAUSE="parse", GONGKAI_TEST_PAUSE_SECONDS="600")
    _wait_paused(pauses, first)
    os.kill(first.pid, signal.SIGKILL)  # dies holding the claim, before any parse
    first.wait()
    second = _worker(data, path, sha, pauses)
    assert _out(second)["status"] == "ok"
    assert len(_ledger(data, sha)) == 1  # the second parsed it (the first died before its parse)
    assert not list((data / "parsed").glob("*.claim*"))


def test_a_claim_that_stopped_beating_is_broken_and_a_live_one_is_not(tmp_path):
    """A holder on another machine cannot be asked whether it runs: its claim goes stale when its
    heartbeat stops (mtime unchanged for ``stale_s``); one that beats is waited for."""
    path = tmp_path / "k.claim"
    path.write_text(json.dumps({"host": "another-machine", "pid": 1, "token": "x"}))
    started = time.monotonic()
    taken = claim.acquire(path, stale_s=1.0, poll_s=0.05)
    assert taken.waited and 1.0 <= time.monotonic() - started < 10
    claim.release(taken)
    assert not path.exists()
    with claim.held(path, beat_s=0.2) as live:
        t0 = time.monotonic()
        pid = os.fork()
        if pid == 0:  # a second process that may break the claim only if it stops beating
            try:
                c = claim.acquire(path, stale_s=1.0, poll_s=0.05)
                os._exit(0 if c.waited else 3)
            except BaseException:
                os._exit(4)
        time.sleep(2.5)  # > stale_s, but the heartbeat moves the mtime
        assert claim._holder(path)["token"] == live.token
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0 and time.monotonic() - t0 >= 2.5
