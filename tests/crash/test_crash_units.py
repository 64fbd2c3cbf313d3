"""The crash-safety rules of the flows without a run: a killed crawl's JOBDIR is not resumed, no
server-side slot is taken without a server (nothing could ever give it back), and the test pause
is inert unless asked for."""

from __future__ import annotations

import contextlib
import json

import pytest
from prefect.settings import PREFECT_API_URL, temporary_settings

from flows import collect, limits
from runner import testpause


def _jobdir(sdir, stats: str | None) -> None:
    (sdir / "jobdir").mkdir(parents=True)
    (sdir / "jobdir" / "requests.seen").write_bytes(b"\x00\x14fingerprint")
    if stats is not None:
        (sdir / "stats.json").write_text(stats)


@pytest.mark.parametrize(
    "stats, mode, kept",
    [
        (None, "restart", False),  # killed: SIGKILL, out of memory, the machine died
        (json.dumps({"finish_reason": "shutdown"}), "resume", True),  # SIGTERM at the hard timeout
        (json.dumps({"finish_reason": "finished"}), "fresh", False),
        ("{not json", "fresh", False),
    ],
)
def test_which_jobdir_is_resumed(tmp_path, stats, mode, kept):
    _jobdir(tmp_path, stats)
    assert collect.prepare_jobdir(tmp_path) == mode
    assert (tmp_path / "jobdir").exists() is kept
    assert not (tmp_path / "stats.json").exists()


def test_slots_are_taken_on_a_server_only(monkeypatch):
    taken = []

    @contextlib.contextmanager
    def concurrency(name, **kw):
        taken.append((name, kw))
        yield

    monkeypatch.setattr("prefect.concurrency.sync.concurrency", concurrency)
    with temporary_settings(restore_defaults={PREFECT_API_URL}):
        assert not limits.on_server()
        with limits.hold("host:example.gov.cn"):
            pass
    assert taken == []  # a temporary server would never give a killed run's slot back
    with temporary_settings({PREFECT_API_URL: "http://127.0.0.1:9/api"}):
        assert limits.on_server()
        with limits.hold("warehouse-writer"):
            pass
    assert taken == [("warehouse-writer", {"occupy": 1, "strict": False})]


def test_the_pause_is_inert_unless_asked(monkeypatch, tmp_path):
    monkeypatch.delenv(testpause.ENV, raising=False)
    monkeypatch.setenv("GONGKAI_TEST_PAUSE_DIR", str(tmp_path))
    testpause.pause("parse")
    assert testpause.hook("load") is None and list(tmp_path.iterdir()) == []


def test_the_pause_lets_n_arrivals_through_then_stops_each(monkeypatch, tmp_path):
    monkeypatch.setenv(testpause.ENV, "load,parse@1")
    monkeypatch.setenv("GONGKAI_TEST_PAUSE_DIR", str(tmp_path))
    monkeypatch.setenv("GONGKAI_TEST_PAUSE_SECONDS", "0")
    testpause.pause("parse")
    assert not list(tmp_path.glob("parse.paused.*"))
    testpause.pause("parse")
    assert len(list(tmp_path.glob("parse.paused.*"))) == 1
    testpause.pause("crawl")  # not asked for
    assert not list(tmp_path.glob("crawl.*"))
    hook = testpause.hook("load")
    hook(object())
    assert list(tmp_path.glob("load.paused.*"))
