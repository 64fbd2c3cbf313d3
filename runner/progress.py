"""Progress for long commands: an updating bar on a terminal, plain log lines elsewhere.

    for path in progress(paths, label="parse"):
        ...

    with Progress(total=len(runs), label="load") as bar:
        for run in runs:
            ...
            bar.update()

On a terminal (``stream.isatty()`` and ``TERM`` is not ``dumb``) one line is redrawn in place with
the count, percentage, rate and ETA, at most every ``redraw`` seconds. Elsewhere (a log file, CI)
plain lines without control characters are written each time another 10 % is done, or every
``interval`` seconds when the total is unknown or progress is slow, and a last line at the end.
"""

from __future__ import annotations

import os
import shutil
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from typing import Any, TextIO, TypeVar

T = TypeVar("T")

__all__ = ["Progress", "progress", "format_duration"]


def format_duration(seconds: float) -> str:
    """``75`` → ``1:15``, ``3725`` → ``1:02:05``."""
    seconds = max(0, int(round(seconds)))
    h, rest = divmod(seconds, 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


def _is_terminal(stream: TextIO) -> bool:
    isatty = getattr(stream, "isatty", None)
    try:
        return bool(isatty and isatty()) and os.environ.get("TERM") != "dumb"
    except (ValueError, OSError):  # a closed stream
        return False


class Progress:
    """Counts work done and reports it on ``stream``; use as a context manager or call ``close()``."""

    def __init__(
        self,
        total: int | None = None,
        label: str = "parse",
        stream: TextIO | None = None,
        *,
        interval: float = 30.0,
        redraw: float = 0.1,
        step: float = 0.1,
        clock: Callable[[], float] = time.monotonic,
        terminal: bool | None = None,
        width: int | None = None,
    ) -> None:
        self.total = total if total is None or total >= 0 else None
        self.label = label
        self.stream = stream if stream is not None else sys.stderr
        self.interval = interval
        self.redraw = redraw
        self.step = step
        self.clock = clock
        self.terminal = _is_terminal(self.stream) if terminal is None else terminal
        self.width = width
        self.done = 0
        self.started = clock()
        self.closed = False
        self._last_emit = self.started
        self._last_step = 0

    # -- counting -------------------------------------------------------------------------------
    def update(self, n: int = 1) -> None:
        """Record ``n`` more items done."""
        if self.closed:
            return
        self.done += n
        now = self.clock()
        if self.terminal:
            if now - self._last_emit >= self.redraw or self._finished():
                self._draw(now)
        else:
            self._maybe_log(now)

    def close(self, error: BaseException | None = None) -> None:
        """Write the last line (``done`` or ``stopped``); later calls do nothing."""
        if self.closed:
            return
        self.closed = True
        now = self.clock()
        elapsed = now - self.started
        rate = self._rate(now)
        count = f"{self.done}/{self.total}" if self.total is not None else f"{self.done}"
        verb = "stopped at" if error is not None else "done"
        line = f"{self.label}: {verb} {count} in {format_duration(elapsed)}"
        if rate is not None:
            line += f" ({_format_rate(rate)})"
        if self.terminal:
            self._write("\r" + line + "\x1b[K\n")
        else:
            self._write(line + "\n")

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: object) -> None:
        self.close(exc)

    # -- text -----------------------------------------------------------------------------------
    def status(self, now: float | None = None) -> str:
        """``parse: 120/500 24% 35.2/s ETA 0:10`` (without the bar)."""
        now = self.clock() if now is None else now
        rate = self._rate(now)
        parts = [f"{self.label}:"]
        if self.total:
            parts.append(f"{self.done}/{self.total} {100 * self.done // self.total}%")
        elif self.total == 0:
            parts.append("0/0")
        else:
            parts.append(str(self.done))
        parts.append(_format_rate(rate) if rate is not None else "-/s")
        if self.total and rate:
            parts.append(f"ETA {format_duration(max(0, self.total - self.done) / rate)}")
        return " ".join(parts)

    def bar_line(self, now: float | None = None) -> str:
        """The terminal line: status with a ``[#####-----]`` bar when the total is known."""
        status = self.status(now)
        if not self.total:
            return status
        columns = self.width or shutil.get_terminal_size((80, 24)).columns
        label, rest = status.split(" ", 1)
        # the bar keeps one width while the counts grow: room is reserved for the longest status
        reserve = len(f"{self.total}/{self.total} 100% 9999.9/min ETA 99:59:59")
        size = min(40, columns - 1 - len(label) - 3 - reserve)
        if size < 10:
            return status[: max(0, columns - 1)]
        filled = min(size, size * self.done // self.total)
        return f"{label} [{'#' * filled}{'-' * (size - filled)}] {rest}"[: columns - 1]

    # -- internals ------------------------------------------------------------------------------
    def _finished(self) -> bool:
        return self.total is not None and self.done >= self.total

    def _rate(self, now: float) -> float | None:
        elapsed = now - self.started
        if elapsed <= 0 or self.done == 0:
            return None
        return self.done / elapsed

    def _draw(self, now: float) -> None:
        line = self.bar_line(now)
        self._write("\r" + line + "\x1b[K")
        self._last_emit = now

    def _maybe_log(self, now: float) -> None:
        due = now - self._last_emit >= self.interval
        if self.total:
            steps = int(self.done / self.total / self.step + 1e-9) if self.step > 0 else 0
            if steps > self._last_step:
                self._last_step = steps
                due = True
        if due:
            self._write(self.status(now) + "\n")
            self._last_emit = now

    def _write(self, text: str) -> None:
        try:
            self.stream.write(text)
            self.stream.flush()
        except (ValueError, OSError):  # the stream went away (closed pipe): progress is optional
            pass


def _format_rate(rate: float) -> str:
    if rate >= 100:
        return f"{rate:.0f}/s"
    if rate >= 1:
        return f"{rate:.1f}/s"
    return f"{60 * rate:.1f}/min"


def progress(
    iterable: Iterable[T], total: int | None = None, label: str = "parse", stream: TextIO | None = None, **options: Any
) -> Iterator[T]:
    """Yield the items of ``iterable`` while reporting progress (``total`` defaults to ``len()``)."""
    if total is None:
        try:
            total = len(iterable)  # type: ignore[arg-type]
        except TypeError:
            total = None
    bar = Progress(total=total, label=label, stream=stream, **options)
    error: BaseException | None = None
    try:
        for item in iterable:
            yield item
            bar.update()
    except BaseException as err:
        error = err
        raise
    finally:
        # a consumer that stops early (break) closes the generator: report where it stopped
        if error is None and total is not None and bar.done < total:
            error = GeneratorExit()
        bar.close(error)
