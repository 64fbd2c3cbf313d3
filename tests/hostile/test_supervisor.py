"""The one supervised child of runner.supervisor: results, errors, memory, time, output, crashes, leftovers."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

import pytest

from pipeline.limits import Limits
from pipeline.record import ParseError, Record
from runner.proctree import descendants
from runner.supervisor import run_supervised
from tests.hostile import targets

pytestmark = pytest.mark.slow  # every test starts child processes

CEILING_S = 60  # generous: only a hang would cross it
QUICK = dict(base_seconds=0.5, seconds_per_page=0.5, max_memory_mb=300)


def guarded(func, *args, stats=None, **limits):
    started = time.monotonic()
    try:
        return run_supervised(func, args, Limits(**{**QUICK, **limits}), stats)
    finally:
        assert time.monotonic() - started < CEILING_S
        # the fork server (one per test process) stays; nothing below it may
        server = [p for p in descendants(os.getpid()) if descendants(p)]
        assert server == [], f"a child outlived its supervisor: {server}"


def kind_of(func, *args, **kw) -> tuple[str, str]:
    with pytest.raises(ParseError) as err:
        guarded(func, *args, **kw)
    message = str(err.value)
    assert message and "\n" not in message
    return err.value.kind, message


def gone(pid: int, wait_s: float = 10.0) -> bool:
    end = time.monotonic() + wait_s
    while time.monotonic() < end:
        try:
            with open(f"/proc/{pid}/stat") as fh:
                if fh.read().rsplit(")", 1)[1].split()[0] == "Z":
                    return True
        except (FileNotFoundError, ProcessLookupError):
            return True
        time.sleep(0.05)
    return False


def test_result_and_errors_cross_back():
    stats: dict = {}
    assert guarded(targets.echo, {"a": [1, 2]}, stats=stats) == {"a": [1, 2]}
    assert stats["pid"] != os.getpid() and stats["cpu"] >= 0
    assert kind_of(targets.refuse, "broken in a known way", "corrupt") == ("corrupt", "broken in a known way")
    kind, message = kind_of(targets.bug)
    assert kind == "internal" and "KeyError" in message


def test_a_result_that_cannot_cross_is_an_internal_error():
    kind, message = kind_of(targets.unpicklable)
    assert kind == "internal" and "could not be sent back" in message


def test_memory_hog_is_stopped():
    kind, message = kind_of(targets.hog, base_seconds=30)  # time enough for memory to be what stops it
    assert kind == "too_large" and "over the limit of 300 MB" in message, message


def test_one_giant_allocation_hits_the_address_space_backstop():
    kind, message = kind_of(targets.huge_allocation)
    assert kind == "too_large" and "out of memory" in message


@pytest.mark.parametrize("func", [targets.sleep_forever, targets.spin])
def test_hang_is_stopped_at_the_budget(func):
    kind, message = kind_of(func)
    assert kind == "timeout" and "over the time limit of 1 s" in message


def test_announced_pages_extend_the_budget():
    # 8 pages at 0.5 s + 0.5 s base: 4.5 s allowed, so a 2 s parse ends normally ...
    assert guarded(targets.pages_then_sleep, 8, 0, 2.0) == "done"
    # ... and pages that may need OCR count at their own rate (0.5 + 2 x 3 = 6.5 s)
    assert guarded(targets.pages_then_sleep, 2, 2, 2.0, ocr_seconds_per_page=3.0) == "done"
    # without an announcement one page is assumed
    kind, message = kind_of(targets.pages_then_sleep, 1, 0, 30.0)
    assert kind == "timeout" and "for 1 page(s)" in message


def test_max_seconds_caps_any_budget():
    kind, message = kind_of(targets.pages_then_sleep, 10_000, 10_000, 30.0, max_seconds=1.0)
    assert kind == "timeout" and "over the time limit of 1 s for 10000 page(s)" in message


def test_crash_is_reported_not_fatal():
    kind, message = kind_of(targets.segfault)
    assert kind == "crashed" and "SIGSEGV" in message
    kind, message = kind_of(targets.exit_code, 3)
    assert kind == "crashed" and "exit status 3" in message


@pytest.mark.parametrize("new_session", [False, True], ids=["same-group", "own-session"])
def test_children_of_the_child_are_killed(tmp_path, new_session):
    note = tmp_path / "pid"
    kind, _ = kind_of(targets.spawn_and_hang, str(note), new_session)
    assert kind == "timeout"
    assert gone(int(note.read_text())), "the grandchild survived"


def test_temp_files_of_a_killed_child_are_removed(tmp_path, monkeypatch):
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    monkeypatch.setenv("TMPDIR", str(tmp))
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", None)
    note = tmp_path / "where"
    kind, _ = kind_of(targets.temp_file_and_hang, str(note))
    assert kind == "timeout"
    assert Path(note.read_text()).parent.parent == tmp  # it wrote inside its own scratch dir ...
    assert list(tmp.iterdir()) == []  # ... which is gone


def test_stray_output_of_the_child_is_silenced(capfd):
    assert guarded(targets.print_noise) == "quiet"
    out, err = capfd.readouterr()
    assert "noise" not in out and "noise" not in err


def test_large_results_arrive_whole():
    assert guarded(targets.big_result, 5 << 20) == b"x" * (5 << 20)


def test_a_result_over_the_output_limit_is_too_large():
    kind, message = kind_of(targets.big_result, 3 << 20, max_output_mb=2)
    assert kind == "too_large" and "over the output limit of 2 MB" in message


def test_the_child_starts_clean_beside_threads(monkeypatch):
    """Forked by the fork server, not by this (threaded) process: the parent's state is not shared."""
    monkeypatch.setattr(targets, "MARK", "set in the parent")
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert guarded(targets.mark) is None
    finally:
        stop.set()
        thread.join()


def test_off_runs_in_process():
    assert run_supervised(os.getpid, (), Limits(guard="off")) == os.getpid()


def test_guarded_parse_equals_the_plain_parse():
    from gongkai.samples.render_text import render_text
    from gongkai.samples.values import generate_report
    import random

    from pipeline.api import parse_bytes
    from runner.parse import parse_supervised

    data = render_text(generate_report(random.Random(11))).encode("utf-8")
    plain = parse_bytes(data, "r.txt")
    rec = parse_supervised(data, "r.txt", Limits())
    assert isinstance(rec, Record) and rec.to_dict() == plain.to_dict()


# ---------------------------------------------------------------------------------- the limits


def test_limits_from_env_and_overrides():
    env = {
        "GONGKAI_MAX_PAGES": "50",
        "GONGKAI_SECONDS_PER_PAGE": "2.5",
        "GONGKAI_MAX_MEMORY_MB": "1_024",
        "GONGKAI_GUARD": "off",
        "GONGKAI_MAX_SECONDS": " ",
    }
    limits = Limits.from_env(env, max_seconds=900, max_lines=None)
    assert (limits.max_pages, limits.seconds_per_page, limits.max_memory_mb, limits.guard) == (50, 2.5, 1024, "off")
    assert limits.max_seconds == 900 and limits.max_lines == Limits().max_lines
    assert limits.budget(10) == 30 + 2.5 * 10
    assert limits.budget(10, 4) == 30 + 2.5 * 6 + 30 * 4
    assert limits.budget(1000, 1000) == 900


@pytest.mark.parametrize(
    "env, message",
    [
        ({"GONGKAI_MAX_PAGES": "many"}, "GONGKAI_MAX_PAGES must be a whole number, not 'many'"),
        ({"GONGKAI_MAX_SECONDS": "soon"}, "GONGKAI_MAX_SECONDS must be a number, not 'soon'"),
        ({"GONGKAI_MAX_PAGES": "0"}, "limit max_pages must be positive"),
        ({"GONGKAI_GUARD": "maybe"}, "limit guard must be one of on, off"),
        ({"GONGKAI_MAX_NESTING": "1000"}, "cannot exceed 255"),
    ],
)
def test_bad_limits_say_which(env, message):
    with pytest.raises(ValueError) as err:
        Limits.from_env(env)
    assert message in str(err.value)


_MAIN = """
import os, sys
with open(os.environ["MARKS"], "a") as f:  # one line per run of this module
    f.write(f"{os.getpid()} {__name__}\\n")
if __name__ == "__main__":
    from pipeline.limits import Limits
    from runner.supervisor import run_supervised
    from tests.hostile import targets
    for n in range(3):
        assert run_supervised(targets.echo, (n,), Limits()) == n
"""


@pytest.mark.parametrize("how", ["module", "script"])
def test_children_do_not_run_the_parents_main_module_again(tmp_path, how):
    """multiprocessing re-runs the parent's ``__main__`` in each forkserver child unless told; under
    ``python -m prefect.engine`` (a worker's flow run) that was an import of Prefect per document."""
    import subprocess
    import sys

    (tmp_path / "mainmod.py").write_text(_MAIN, encoding="utf-8")
    marks = tmp_path / "marks"
    env = {**os.environ, "MARKS": str(marks), "PYTHONPATH": os.pathsep.join([str(Path.cwd()), str(tmp_path)])}
    env.pop("GONGKAI_FORKSERVER_MAIN", None)
    argv = ["-m", "mainmod"] if how == "module" else [str(tmp_path / "mainmod.py")]
    proc = subprocess.run([sys.executable, *argv], env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    lines = marks.read_text(encoding="utf-8").splitlines()
    assert [line.split()[1] for line in lines] == ["__main__"], lines
