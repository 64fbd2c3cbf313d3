"""One supervised child process per parse: the only place where a parse's memory, time and output
are bounded (``gongkai parse``, the flows and the benchmarks all come through here).

``run_supervised(func, args, limits)`` runs ``func(*args)`` in a child forked by a multiprocessing
*forkserver* (the stdlib's own way to fork cleanly from a process with threads, such as a Prefect
flow; the parser's modules are imported once in the fork server, so a child costs milliseconds).
The parent watches the child: resident memory of the child and everything it started (LibreOffice)
above ``max_memory_mb`` -> killed, ``too_large``; wall-clock time over the document's budget
(:meth:`Limits.budget`, which the child extends with :func:`announce_work`) -> killed, ``timeout``;
a result over ``max_output_mb`` -> ``too_large``; a crash -> ``crashed``; any other exception in
the child -> ``internal``. Whatever happens, the child's descendants are killed and its own temp
directory is removed. See ``docs/reliability.md``.
"""

from __future__ import annotations

import math
import multiprocessing
import os
import pickle
import resource
import shutil
import signal
import sys
import tempfile
import threading
import time
from multiprocessing.connection import Connection
from multiprocessing.context import ForkServerContext
from multiprocessing.process import BaseProcess
from typing import Any, Callable, NoReturn

from pipeline.limits import Limits
from pipeline.record import ParseError

from . import forkmain, proctree

POLL_S = 0.05  # how often the parent looks at the child's memory
TREE_POLL_S = 0.5  # how often it also counts the child's own children (LibreOffice)
GRACE_S = 5.0  # at most, after the budget and before the kill: the parser's own timeout speaks first
# imported once by the fork server, so that each child starts with them
PRELOAD = [
    "runner.forkmain",  # first: the children skip re-running the parent's __main__ (see there)
    "pipeline.api",
    "pipeline.interpret",
    "pipeline.text_layout",
    "pipeline.html_layout",
    "pipeline.docx_layout",
    "pipeline.office",
    "pipeline.pdf",
    "mammoth",
    "runner.parse",
]

_LOCK = threading.Lock()


class ChildCrashed(ParseError):
    """The child died without a result. ``by_signal_of_others``: a SIGKILL its supervisor did not
    send (the kernel's OOM killer, an operator), so the document itself may be fine."""

    def __init__(self, message: str, sig: int | None = None):
        super().__init__(message, "crashed")
        self.by_signal_of_others = sig == signal.SIGKILL


_CONTEXT: ForkServerContext | None = None
Job = Callable[..., Any]  # a module-level function: it pickles by name


def _context() -> ForkServerContext:
    """The forkserver context, its preload set before it first starts."""
    global _CONTEXT
    with _LOCK:
        if _CONTEXT is None:
            ctx: ForkServerContext = multiprocessing.get_context("forkserver")
            os.environ[forkmain.ENV] = forkmain.describe_main()  # read by the fork server it starts
            ctx.set_forkserver_preload(PRELOAD)
            _CONTEXT = ctx
        return _CONTEXT


def warm() -> None:
    """Start the fork server now, in the background, so that it imports the parser while a flow
    crawls instead of delaying the first parse."""
    threading.Thread(
        target=run_supervised, args=(os.getpid, (), Limits()), daemon=True, name="gongkai-forkserver-warm"
    ).start()


# ----------------------------------------------------------------------------------------------
# the child's side

_CHANNEL: Connection | None = None  # in a supervised child: where its messages go


def announce_work(pages: int, ocr_pages: int = 0) -> None:
    """Tell the watching parent how much work this document is, once known (no-op elsewhere).

    The parent then allows :meth:`Limits.budget` ``(pages, ocr_pages)`` seconds from the start."""
    if _CHANNEL is not None:
        _CHANNEL.send_bytes(pickle.dumps(("work", int(pages), int(ocr_pages))))


def _child_setup(limits: Limits, scratch: str) -> None:
    """Own process group, die with the fork server, silence stray output, own temp dir, backstops."""
    os.setpgid(0, 0)
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG
    except (ImportError, OSError, AttributeError):
        pass  # not Linux: the parent's kill still reaches the child
    for var in ("TMPDIR", "TMP", "TEMP"):
        os.environ[var] = scratch
    tempfile.tempdir = scratch
    devnull = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(devnull, fd)
    os.close(devnull)
    sys.stdin = open(os.devnull)  # noqa: SIM115 - open for the child's whole life
    sys.stdout = sys.stderr = open(os.devnull, "w")  # noqa: SIM115 - open for the child's whole life
    cpu = int(math.ceil(limits.max_seconds * max(2, os.cpu_count() or 1) + 30))
    _setrlimit(resource.RLIMIT_CPU, cpu, cpu + 10)
    # a backstop against one giant allocation between two polls; the real memory limit is the
    # parent's watch of resident memory (OCR and LibreOffice reserve far more than they use)
    _setrlimit(resource.RLIMIT_AS, (proctree.vm_size_kb(os.getpid()) << 10) + 4 * (limits.max_memory_mb << 20))


def _setrlimit(which: int, soft: int, hard: int | None = None) -> None:
    try:
        old_soft, old_hard = resource.getrlimit(which)
        if old_hard != resource.RLIM_INFINITY:
            soft = min(soft, old_hard)
            hard = old_hard if hard is None else min(hard, old_hard)
        resource.setrlimit(which, (soft, old_hard if hard is None else hard))
    except (ValueError, OSError):
        pass  # a limit the system does not allow: the parent's watch still holds


def _outcome(func: Job, args: tuple[Any, ...]) -> tuple[Any, ...]:
    try:
        return ("ok", func(*args))
    except ParseError as err:
        return ("error", str(err), err.kind)
    except MemoryError:
        return ("error", "ran out of memory reading this file", "too_large")
    except RecursionError:
        return ("error", "the file nests too deeply to read", "too_large")
    except BaseException as err:  # noqa: BLE001 - reported to the parent as an internal error
        return ("internal", f"{type(err).__name__}: {' '.join(str(err).split())[:300]}")


def _encode(message: tuple[Any, ...], limits: Limits) -> bytes:
    try:
        payload = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    except MemoryError:
        return pickle.dumps(("error", "ran out of memory sending the result", "too_large"))
    except (pickle.PicklingError, TypeError, AttributeError, RecursionError) as err:
        return pickle.dumps(("internal", f"the result could not be sent back ({type(err).__name__}: {str(err)[:200]})"))
    if len(payload) > limits.max_output_mb << 20:
        return pickle.dumps(
            (
                "error",
                f"the result is {len(payload) / 2**20:.0f} MB, over the output limit of "
                f"{limits.max_output_mb} MB; see GONGKAI_MAX_OUTPUT_MB",
                "too_large",
            )
        )
    return payload


def _child_main(channel: Connection, func: Job, args: tuple[Any, ...], limits: Limits, scratch: str) -> None:
    """The child process: run ``func(*args)``, send its CPU time and outcome."""
    global _CHANNEL
    _child_setup(limits, scratch)
    _CHANNEL = channel
    message = _outcome(func, args)
    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime
    channel.send_bytes(pickle.dumps(("stats", round(cpu, 3), os.getpid())))
    channel.send_bytes(_encode(message, limits))
    os._exit(0)  # at once: threads a library left running must not hold the exit (nothing to flush)


# ----------------------------------------------------------------------------------------------
# the parent's side


def run_supervised(func: Job, args: tuple[Any, ...], limits: Limits, stats: dict[str, Any] | None = None) -> Any:
    """``func(*args)`` in a supervised child; its ParseError is raised here with its kind.

    ``func`` and ``args`` must pickle (module-level functions). ``stats``, when given, receives the
    child's ``cpu`` seconds (its own and its children's) and ``pid``. ``limits.guard == "off"``
    runs ``func`` in this process, unbounded in memory and time."""
    if limits.guard == "off":
        return func(*args)
    ctx = _context()
    # the child's TMPDIR: removed here whatever happens to the child (LibreOffice, OCR temp files)
    scratch = tempfile.mkdtemp(prefix="gongkai-parse-")
    reader, writer = ctx.Pipe(duplex=False)
    proc = ctx.Process(
        target=_child_main, args=(writer, func, args, limits, scratch), daemon=True, name="gongkai-parse"
    )
    try:
        proc.start()
        writer.close()
        return _watch(proc, reader, limits, stats if stats is not None else {})
    finally:
        reader.close()
        _finish(proc)
        shutil.rmtree(scratch, ignore_errors=True)


def _watch(proc: BaseProcess, reader: Connection, limits: Limits, stats: dict[str, Any]) -> Any:
    pid = proc.pid
    assert pid is not None  # started
    start = time.monotonic()
    budget = limits.budget(1)
    work: tuple[int, int] | None = None  # (pages, pages that may need OCR), once the child says
    cap_kb = limits.max_memory_mb << 10
    family: list[int] = []  # the child's descendants, counted again every TREE_POLL_S
    next_tree = start + TREE_POLL_S
    while True:
        now = time.monotonic()
        end = start + budget + min(GRACE_S, 0.25 * budget)
        if now >= end:
            proctree.kill_tree(pid)
            raise ParseError(
                f"stopped after {now - start:.0f} s, over the time limit of {budget:.0f} s"
                f"{_work_text(work)}; see GONGKAI_MAX_SECONDS and docs/reliability.md",
                "timeout",
            )
        if reader.poll(min(POLL_S, end - now)):
            message = _receive(proc, pid, reader, limits)
            if message[0] == "work":
                work = message[1:]
                budget = limits.budget(*message[1:])
            elif message[0] == "stats":
                stats.update(cpu=message[1], pid=message[2])
            else:
                return _result(message)
        if time.monotonic() >= next_tree:
            family = proctree.descendants(pid)
            next_tree = time.monotonic() + TREE_POLL_S
        used = sum(proctree.rss_kb(p) for p in (pid, *family))
        if used > cap_kb:
            proctree.kill_tree(pid)
            raise ParseError(
                f"stopped at {used >> 10} MB of memory, over the limit of {limits.max_memory_mb} MB "
                "(a decompression bomb?); see GONGKAI_MAX_MEMORY_MB",
                "too_large",
            )


def _receive(proc: BaseProcess, pid: int, reader: Connection, limits: Limits) -> tuple[Any, ...]:
    try:
        raw = reader.recv_bytes((limits.max_output_mb << 20) + (64 << 10))
    except EOFError:  # the child closed its end without a result: it died
        _died(proc)
    except OSError:  # longer than the output limit (the child checks too; this holds if it lies)
        proctree.kill_tree(pid)
        raise ParseError(f"the result is over the output limit of {limits.max_output_mb} MB", "too_large") from None
    message: tuple[Any, ...] = pickle.loads(raw)
    return message


def _work_text(work: tuple[int, int] | None) -> str:
    if work is None:
        return ""
    pages, ocr = work
    return f" for {pages} page(s)" + (f", {ocr} of which may need OCR" if ocr else "")


def _result(message: tuple[Any, ...]) -> Any:
    if message[0] == "ok":
        return message[1]
    if message[0] == "error":
        raise ParseError(message[1], message[2])
    raise ParseError(f"internal error ({message[1]})", "internal")


def _died(proc: BaseProcess) -> NoReturn:
    """The child closed its pipe without a result: say how it died."""
    proc.join(10)
    code = proc.exitcode
    if code is not None and code < 0:
        if -code == signal.SIGXCPU:
            raise ParseError("stopped: over the CPU time limit; see GONGKAI_MAX_SECONDS", "timeout")
        try:
            name = signal.Signals(-code).name
        except ValueError:
            name = str(-code)
        hint = " (out of memory?)" if -code == signal.SIGKILL else ""
        raise ChildCrashed(f"the parser crashed on this file (signal {name}){hint}", -code)
    raise ChildCrashed(f"the parser exited without a result (exit status {code if code is not None else 'unknown'})")


def _finish(proc: BaseProcess) -> None:
    """Make sure nothing of the child lives on (its group included), and reap it."""
    pid = proc.pid
    if pid is None:  # never started
        return
    if proc.exitcode is None:
        proctree.kill_tree(pid)
    try:
        os.killpg(pid, signal.SIGKILL)  # what it started in its group and left behind
    except (ProcessLookupError, PermissionError):
        pass
    proc.join()
    proc.close()
