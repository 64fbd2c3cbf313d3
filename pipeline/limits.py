"""Limits on parsing one document, and a watched child process that enforces memory and time.

Structural limits (file size, pages, table cells, nesting, lines, unpacked size) are checked by the
converters as they read. Memory and wall-clock time are enforced by :func:`run_guarded`: the parse
runs in a child process (``fork`` when the caller has one thread, else a fresh ``python -m
pipeline.limits``) that the parent polls and kills, with everything it started, when it goes over.
See ``docs/reliability.md``.
"""
from __future__ import annotations

import math
import os
import pickle
import resource
import select
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, fields
from typing import Any, Callable, Mapping

from .record import ParseError

ENV_PREFIX = "GONGKAI_"
GUARD_MODES = ("auto", "fork", "exec", "off")
POLL_S = 0.05  # how often the parent looks at the child's memory
TREE_POLL_S = 0.5  # how often it also counts the child's own children (LibreOffice)
GRACE_S = 5.0  # at most, after the budget and before the kill: the parser's own timeout speaks first
_HEADER = struct.Struct(">Q")


@dataclass(frozen=True, slots=True)
class Limits:
    """What one document may cost. Every field can be set with ``GONGKAI_<FIELD>`` (upper case)."""

    max_bytes: int = 200 * 1024 * 1024  # size of the file
    max_pages: int = 300  # PDF pages
    seconds_per_page: float = 5.0  # wall clock per page read from its text layer
    ocr_seconds_per_page: float = 30.0  # per page that may need OCR (measured 12-18 s on 2 cores)
    base_seconds: float = 30.0  # per document: start-up, LibreOffice, loading the OCR models
    max_seconds: float = 600.0  # per document, whatever its pages
    max_memory_mb: int = 1536  # resident memory of the parse and the processes it starts
    max_unpacked_mb: int = 256  # DOCX: all parts unpacked; PDF: all streams inflated
    max_page_content_mb: int = 2  # PDF: one page's drawing instructions inflated (real pages: < 50 kB)
    max_members: int = 5000  # DOCX / zip: parts in the package
    max_cells: int = 100_000  # table cells: HTML <td>/<th>, DOCX <w:tc>, tab-separated text (a report: ~500)
    max_nesting: int = 128  # HTML element depth (real report pages: about 25; libxml2 stops at 255)
    max_lines: int = 200_000  # lines of text / blocks of HTML (a report has a few thousand)
    guard: str = "auto"  # auto | fork | exec | off (off: structural limits only, in process)

    def __post_init__(self):
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name != "guard" and not value > 0:
                raise ValueError(f"limit {f.name} must be positive, not {value!r}")
        if self.guard not in GUARD_MODES:
            raise ValueError(f"limit guard must be one of {', '.join(GUARD_MODES)}, not {self.guard!r}")
        if self.max_nesting > 255:
            raise ValueError("limit max_nesting cannot exceed 255 (libxml2's own depth limit)")

    def budget(self, pages: int = 1, ocr_pages: int = 0) -> float:
        """Seconds allowed for a document of ``pages`` pages, ``ocr_pages`` of which may need OCR."""
        pages = max(1, pages)
        ocr_pages = min(max(0, ocr_pages), pages)
        seconds = (self.base_seconds + self.seconds_per_page * (pages - ocr_pages)
                   + self.ocr_seconds_per_page * ocr_pages)
        return min(self.max_seconds, seconds)

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **overrides) -> "Limits":
        """Defaults, then ``GONGKAI_<FIELD>`` variables, then ``overrides`` (None values ignored)."""
        env = os.environ if env is None else env
        values: dict[str, Any] = {}
        for f in fields(cls):
            raw = env.get(ENV_PREFIX + f.name.upper())
            if raw is not None and raw.strip():
                values[f.name] = _convert(f.name, type(f.default), raw.strip())
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)


def _convert(name: str, typ: type, raw: str):
    var = ENV_PREFIX + name.upper()
    if typ is str:
        return raw
    try:
        return typ(raw.replace("_", "")) if typ is int else typ(raw)
    except ValueError:
        what = "a whole number" if typ is int else "a number"
        raise ValueError(f"{var} must be {what}, not {raw!r}") from None


# ----------------------------------------------------------------------------------------------
# the child's side

_CHANNEL: int | None = None  # in a guarded child: the pipe its messages go to


def announce_work(pages: int, ocr_pages: int = 0) -> None:
    """Tell the watching parent how much work this document is, once known (no-op unguarded).

    The parent then allows :meth:`Limits.budget` ``(pages, ocr_pages)`` seconds from the start."""
    if _CHANNEL is not None:
        _send(_CHANNEL, ("work", int(pages), int(ocr_pages)))


def _send(fd: int, message: tuple) -> None:
    payload = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    view = memoryview(_HEADER.pack(len(payload)) + payload)
    while view:
        view = view[os.write(fd, view):]


def _use_scratch(scratch: str) -> None:
    for var in ("TMPDIR", "TMP", "TEMP"):
        os.environ[var] = scratch
    tempfile.tempdir = scratch


def _child_setup(limits: Limits, parent: int) -> None:
    """Own process group, die with the parent, silence stray output, CPU and address-space backstops."""
    try:
        import ctypes  # imported by the parent before a fork: no cost here then

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG
    except (ImportError, OSError, AttributeError):
        pass
    if os.getppid() != parent:  # the parent died before the line above
        os._exit(1)
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, signal.SIG_DFL)
    devnull = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(devnull, fd)
    os.close(devnull)
    sys.stdin = open(os.devnull)  # noqa: SIM115 - for the child's whole life
    sys.stdout = sys.stderr = open(os.devnull, "w")  # noqa: SIM115
    try:
        import faulthandler

        faulthandler.disable()  # a crash is reported by the parent, in one line
    except (ImportError, RuntimeError):
        pass
    cpu = int(math.ceil(limits.max_seconds * max(2, os.cpu_count() or 1) + 30))
    _setrlimit(resource.RLIMIT_CPU, cpu, cpu + 10)
    # a backstop against one giant allocation between two polls; the real memory limit is the
    # parent's watch of resident memory (OCR and LibreOffice reserve far more than they use)
    _setrlimit(resource.RLIMIT_AS, (_vm_size_kb(os.getpid()) << 10) + 4 * (limits.max_memory_mb << 20))


def _setrlimit(which: int, soft: int, hard: int | None = None) -> None:
    try:
        old_soft, old_hard = resource.getrlimit(which)
        if old_hard != resource.RLIM_INFINITY:
            soft = min(soft, old_hard)
            hard = old_hard if hard is None else min(hard, old_hard)
        resource.setrlimit(which, (soft, old_hard if hard is None else hard))
    except (ValueError, OSError):
        pass


def _child_run(fd: int, func: Callable, args: tuple) -> None:
    """Run ``func(*args)`` and send its outcome; never returns normally to the caller's code."""
    global _CHANNEL
    _CHANNEL = fd
    try:
        message: tuple = ("ok", func(*args))
    except ParseError as err:
        message = ("error", str(err), err.kind)
    except MemoryError:
        message = ("error", "ran out of memory reading this file", "too_large")
    except RecursionError:
        message = ("error", "the file nests too deeply to read", "too_large")
    except BaseException as err:  # noqa: BLE001 - reported to the parent as an internal error
        message = ("internal", f"{type(err).__name__}: {' '.join(str(err).split())[:300]}")
    try:
        _send(fd, message)
    except MemoryError:
        _send(fd, ("error", "ran out of memory sending the result", "too_large"))
    except (pickle.PicklingError, TypeError, AttributeError, RecursionError) as err:
        _send(fd, ("internal", f"the result could not be sent back ({type(err).__name__}: {str(err)[:200]})"))


def _exec_main() -> None:
    """Entry of ``python -m pipeline.limits``: read (func, args, limits, parent) from stdin."""
    channel = os.dup(1)
    raw = sys.stdin.buffer.read()
    (size,) = _HEADER.unpack(raw[:_HEADER.size])
    func, args, limits, parent = pickle.loads(raw[_HEADER.size:_HEADER.size + size])
    del raw
    _child_setup(limits, parent)
    try:
        _child_run(channel, func, args)
    finally:
        os._exit(0)


# ----------------------------------------------------------------------------------------------
# the parent's side

@dataclass
class _Child:
    pid: int
    fd: int
    proc: subprocess.Popen | None = None
    status: int | None = None  # os.waitpid status once reaped


def run_guarded(func: Callable, args: tuple, limits: Limits) -> Any:
    """``func(*args)`` in a watched child process; its ParseError is raised here with its kind.

    Memory above ``limits.max_memory_mb`` → ParseError ``too_large``; more wall-clock time than the
    budget (see :func:`announce_work`) → ``timeout``; a crash → ``crashed``; any other exception in
    the child → ``internal``. ``func`` and ``args`` must pickle when the child is exec'd."""
    mode = limits.guard
    if mode == "off":
        return func(*args)
    if mode == "auto":
        mode = "fork" if hasattr(os, "fork") and threading.active_count() == 1 else "exec"
    # the child's TMPDIR: removed here whatever happens to the child (LibreOffice, OCR temp files)
    scratch = tempfile.mkdtemp(prefix="gongkai-parse-")
    try:
        child = _fork(func, args, limits, scratch) if mode == "fork" else _exec(func, args, limits, scratch)
        try:
            return _watch(child, limits)
        finally:
            _finish(child)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _fork(func: Callable, args: tuple, limits: Limits, scratch: str) -> _Child:
    try:
        import ctypes  # noqa: F401 - for the child's prctl, loaded once here rather than in every child
    except ImportError:
        pass
    parent = os.getpid()
    for stream in (sys.stdout, sys.stderr):  # or the child would print the parent's pending output
        try:
            stream.flush()
        except (OSError, ValueError, AttributeError):
            pass
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never return into the caller's code
        try:
            os.close(r)
            os.setpgid(0, 0)
            _use_scratch(scratch)
            _child_setup(limits, parent)
            _child_run(w, func, args)
        finally:
            os._exit(0)
    os.close(w)
    try:
        os.setpgid(pid, pid)  # also here, so that a kill right after the fork reaches its group
    except OSError:
        pass
    return _Child(pid, r)


def _exec(func: Callable, args: tuple, limits: Limits, scratch: str) -> _Child:
    payload = pickle.dumps((func, args, limits, os.getpid()), protocol=pickle.HIGHEST_PROTOCOL)
    env = dict(os.environ, TMPDIR=scratch, TMP=scratch, TEMP=scratch)
    env["PYTHONPATH"] = os.pathsep.join(p for p in [*sys.path, env.get("PYTHONPATH", "")] if p)
    proc = subprocess.Popen([sys.executable, "-m", "pipeline.limits"], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env,
                            start_new_session=True, close_fds=True)

    def feed():
        try:
            proc.stdin.write(_HEADER.pack(len(payload)) + payload)
            proc.stdin.close()
        except (OSError, ValueError):  # the child died early, or the watch is over
            pass

    threading.Thread(target=feed, daemon=True, name="guard-feed").start()
    return _Child(proc.pid, proc.stdout.fileno(), proc)


def _watch(child: _Child, limits: Limits) -> Any:
    start = time.monotonic()
    budget = limits.budget(1)
    work: tuple[int, int] | None = None  # (pages, pages that may need OCR), once the child says
    cap_kb = limits.max_memory_mb << 10
    buf = bytearray()
    family: list[int] = []  # the child's descendants, counted again every TREE_POLL_S
    next_tree = start + TREE_POLL_S
    while True:
        now = time.monotonic()
        end = start + budget + min(GRACE_S, 0.25 * budget)
        if now >= end:
            _kill_tree(child)
            raise ParseError(f"stopped after {now - start:.0f} s, over the time limit of {budget:.0f} s"
                             f"{_work_text(work)}; see GONGKAI_MAX_SECONDS and docs/reliability.md", "timeout")
        ready, _, _ = select.select([child.fd], [], [], min(POLL_S, end - now))
        if ready:
            chunk = os.read(child.fd, 1 << 20)
            if not chunk:
                return _outcome_at_eof(child, limits)
            buf += chunk
            while len(buf) >= _HEADER.size:
                (size,) = _HEADER.unpack_from(buf)
                if len(buf) < _HEADER.size + size:
                    break
                message = pickle.loads(bytes(buf[_HEADER.size:_HEADER.size + size]))
                del buf[:_HEADER.size + size]
                if message[0] == "work":
                    work = message[1:]
                    budget = limits.budget(*work)
                    continue
                return _result(message)
        if time.monotonic() >= next_tree:
            family = _descendants(child.pid)
            next_tree = time.monotonic() + TREE_POLL_S
        used = sum(_rss_kb(p) for p in (child.pid, *family))
        if used > cap_kb:
            _kill_tree(child)
            raise ParseError(f"stopped at {used >> 10} MB of memory, over the limit of {limits.max_memory_mb} MB "
                             "(a decompression bomb?); see GONGKAI_MAX_MEMORY_MB", "too_large")


def _work_text(work: tuple[int, int] | None) -> str:
    if work is None:
        return ""
    pages, ocr = work
    return f" for {pages} page(s)" + (f", {ocr} of which may need OCR" if ocr else "")


def _result(message: tuple) -> Any:
    if message[0] == "ok":
        return message[1]
    if message[0] == "error":
        raise ParseError(message[1], message[2])
    raise ParseError(f"internal error ({message[1]})", "internal")


def _outcome_at_eof(child: _Child, limits: Limits) -> Any:
    """The child closed its pipe without a result: it died. Say how."""
    _kill_group(child)  # whatever it started; safe while the dead child is not reaped yet
    status = _reap(child, block=True)
    if status is not None and os.WIFSIGNALED(status):
        sig = os.WTERMSIG(status)
        if sig == signal.SIGXCPU:
            raise ParseError("stopped: over the CPU time limit; see GONGKAI_MAX_SECONDS", "timeout")
        try:
            name = signal.Signals(sig).name
        except ValueError:
            name = str(sig)
        hint = " (out of memory?)" if sig == signal.SIGKILL else ""
        raise ParseError(f"the parser crashed on this file (signal {name}){hint}", "crashed")
    code = os.WEXITSTATUS(status) if status is not None else "unknown"
    raise ParseError(f"the parser exited without a result (exit status {code})", "crashed")


def _reap(child: _Child, block: bool) -> int | None:
    if child.status is None:
        try:
            pid, status = os.waitpid(child.pid, 0 if block else os.WNOHANG)
        except ChildProcessError:
            return None
        if pid:
            child.status = status
    return child.status


def _finish(child: _Child) -> None:
    """Close the pipe, make sure nothing of the child lives on, reap it."""
    if child.status is None:
        _kill_group(child)
        try:
            os.kill(child.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    if child.proc is not None:
        for pipe in (child.proc.stdin, child.proc.stdout):
            try:
                pipe.close()
            except (OSError, ValueError):
                pass
        child.proc.wait()
        child.status = child.proc.returncode
    else:
        os.close(child.fd)
        _reap(child, block=True)


def _kill_group(child: _Child) -> None:
    try:
        os.killpg(child.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def _kill_tree(child: _Child) -> None:
    """SIGKILL the child and all its descendants, including those in sessions of their own
    (LibreOffice is started in one so that its own timeout can kill all of it)."""
    pids = [child.pid, *_descendants(child.pid)]
    groups = set()
    for pid in pids:
        try:
            groups.add(os.getpgid(pid))
        except ProcessLookupError:
            pass
    for pid in pids:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    for pgid in groups - {os.getpgrp()}:
        try:
            os.killpg(pgid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass


def _descendants(root: int) -> list[int]:
    parents: dict[int, list[int]] = {}
    try:
        entries = os.listdir("/proc")
    except OSError:
        return []
    for entry in entries:
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as fh:
                ppid = int(fh.read().rsplit(b")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        parents.setdefault(ppid, []).append(int(entry))
    out, todo = [], [root]
    while todo:
        for kid in parents.get(todo.pop(), ()):
            out.append(kid)
            todo.append(kid)
    return out


_PAGE_KB = os.sysconf("SC_PAGE_SIZE") >> 10 if hasattr(os, "sysconf") else 4


def _rss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/statm", "rb") as fh:
            return int(fh.read().split()[1]) * _PAGE_KB
    except (OSError, ValueError, IndexError):
        return 0


def _vm_size_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/statm", "rb") as fh:
            return int(fh.read().split()[0]) * _PAGE_KB
    except (OSError, ValueError, IndexError):
        return 0


if __name__ == "__main__":
    from pipeline import limits as _module  # the importable module, not this __main__ copy

    _module._exec_main()
