"""runner.progress on a terminal and off one, with a fake clock (no timing asserts)."""

import io
import re

import pytest

from runner.progress import Progress, format_duration, progress


class Stream(io.StringIO):
    def __init__(self, tty: bool):
        super().__init__()
        self.tty = tty

    def isatty(self):
        return self.tty


class Clock:
    def __init__(self, step: float):
        self.t, self.step = 1000.0, step

    def __call__(self):
        return self.t

    def tick(self):
        self.t += self.step


def run(items, stream, clock, **options):
    out = []
    for item in progress(items, stream=stream, clock=clock, **options):
        clock.tick()
        out.append(item)
    return out


@pytest.fixture(autouse=True)
def _term(monkeypatch):
    monkeypatch.setenv("TERM", "xterm")


def test_log_lines_off_a_terminal_every_ten_percent():
    stream, clock = Stream(tty=False), Clock(0.1)
    assert run(range(100), stream, clock, label="parse") == list(range(100))
    lines = stream.getvalue().splitlines()
    assert len(lines) == 11
    assert lines[0] == "parse: 10/100 10% 10.0/s ETA 0:09"
    assert lines[4] == "parse: 50/100 50% 10.0/s ETA 0:05"
    assert lines[9] == "parse: 100/100 100% 10.0/s ETA 0:00"
    assert lines[10] == "parse: done 100/100 in 0:10 (10.0/s)"
    assert "\r" not in stream.getvalue() and "\x1b" not in stream.getvalue()


def test_slow_work_off_a_terminal_logs_every_interval():
    stream, clock = Stream(tty=False), Clock(20.0)  # 20 s per item: 10 % takes 100 s
    run(range(50), stream, clock, label="export", interval=60)
    lines = stream.getvalue().splitlines()
    # every 10 % (5 items, 100 s) and, between those, whenever 60 s passed since the last line
    assert lines[0] == "export: 3/50 6% 3.0/min ETA 15:40"
    assert lines[1] == "export: 5/50 10% 3.0/min ETA 15:00"
    assert lines[-1] == "export: done 50/50 in 16:40 (3.0/min)"
    assert len(lines) == 21


def test_unknown_total_off_a_terminal():
    stream, clock = Stream(tty=False), Clock(1.0)
    run(iter(range(100)), stream, clock, label="run", interval=30)
    assert stream.getvalue().splitlines() == [
        "run: 30 1.0/s",
        "run: 60 1.0/s",
        "run: 90 1.0/s",
        "run: done 100 in 1:40 (1.0/s)",
    ]


def test_one_redrawn_bar_on_a_terminal():
    stream, clock = Stream(tty=True), Clock(0.0625)  # steps a float adds up exactly
    run(list(range(50)), stream, clock, label="parse", width=72, redraw=0.125)
    text = stream.getvalue()
    frames = [f.removesuffix("\x1b[K") for f in text.split("\r") if f]
    assert text.count("\n") == 1 and text.endswith("\x1b[K\n")  # one line, finished with a newline
    assert len(frames) == 26  # redrawn every 0.125 s (every other item here), then the last line
    assert all(len(f) < 72 for f in frames[:-1])
    bars = [re.match(r"parse: \[(#*)(-*)\] ", f) for f in frames[:-1]]
    assert all(bars) and len({len(b.group(0)) for b in bars}) == 1  # the bar keeps its width
    size = len(bars[0].group(1) + bars[0].group(2))
    assert [len(b.group(1)) for b in bars] == [size * n // 50 for n in range(2, 51, 2)]
    assert frames[0].endswith("] 2/50 4% 16.0/s ETA 0:03")
    assert frames[-2] == "parse: [" + "#" * size + "] 50/50 100% 16.0/s ETA 0:00"
    assert frames[-1] == "parse: done 50/50 in 0:03 (16.0/s)\x1b[K\n"
    narrow = Progress(total=10, stream=Stream(tty=True), clock=Clock(1.0), width=24)
    narrow.update(4)
    assert narrow.bar_line() == "parse: 4/10 40% -/s"  # no room for a bar: the counts alone


def test_terminal_without_total_and_dumb_terminals(monkeypatch):
    stream, clock = Stream(tty=True), Clock(0.5)
    run(iter(range(3)), stream, clock, label="load")
    assert stream.getvalue().split("\r")[1:] == [
        "load: 1 2.0/s\x1b[K",
        "load: 2 2.0/s\x1b[K",
        "load: 3 2.0/s\x1b[K",
        "load: done 3 in 0:02 (2.0/s)\x1b[K\n",
    ]
    monkeypatch.setenv("TERM", "dumb")
    stream = Stream(tty=True)
    run(range(2), stream, Clock(1.0), label="load")
    assert "\x1b" not in stream.getvalue() and "\r" not in stream.getvalue()


def test_stopping_early_or_on_error_says_where():
    stream, clock = Stream(tty=False), Clock(1.0)
    for i in progress(range(10), stream=stream, clock=clock, label="parse"):
        clock.tick()
        if i == 2:
            break
    assert stream.getvalue().splitlines()[-1] == "parse: stopped at 2/10 in 0:03 (40.0/min)"
    stream = Stream(tty=False)
    with pytest.raises(RuntimeError):
        with Progress(total=4, label="load", stream=stream, clock=Clock(1.0)) as bar:
            bar.update(3)
            raise RuntimeError("boom")
    assert stream.getvalue().splitlines()[-1] == "load: stopped at 3/4 in 0:00"


def test_a_closed_stream_does_not_break_the_work():
    stream = Stream(tty=False)
    stream.close()
    assert list(progress([1, 2, 3], stream=stream, clock=Clock(1.0))) == [1, 2, 3]


def test_format_duration():
    assert [format_duration(s) for s in (0, 59.4, 75, 3725, -3)] == ["0:00", "0:59", "1:15", "1:02:05", "0:00"]
