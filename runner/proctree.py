"""What ``/proc`` says about a process and the processes it started, and killing all of them.

The standard library has no call for a process's descendants or resident memory (``resource``
only sees children that were waited for), so they are read from ``/proc`` (Linux)."""

from __future__ import annotations

import os
import signal

_PAGE_KB = os.sysconf("SC_PAGE_SIZE") >> 10 if hasattr(os, "sysconf") else 4


def descendants(root: int) -> list[int]:
    """Every live process below ``root`` (children, their children, ...)."""
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
            continue  # gone meanwhile
        parents.setdefault(ppid, []).append(int(entry))
    out, todo = [], [root]
    while todo:
        for kid in parents.get(todo.pop(), ()):
            out.append(kid)
            todo.append(kid)
    return out


def _statm_kb(pid: int, field: int) -> int:
    try:
        with open(f"/proc/{pid}/statm", "rb") as fh:
            return int(fh.read().split()[field]) * _PAGE_KB
    except (OSError, ValueError, IndexError):
        return 0  # gone: it uses nothing


def rss_kb(pid: int) -> int:
    """Resident memory of a process, in kB (0 when it is gone)."""
    return _statm_kb(pid, 1)


def vm_size_kb(pid: int) -> int:
    """Address space of a process, in kB (0 when it is gone)."""
    return _statm_kb(pid, 0)


def kill_tree(pid: int) -> None:
    """SIGKILL ``pid``, all its descendants, and their process groups, including descendants in a
    session of their own (LibreOffice is started in one so that its own timeout can kill it)."""
    pids = [pid, *descendants(pid)]
    groups = set()
    for p in pids:
        try:
            groups.add(os.getpgid(p))
        except ProcessLookupError:
            pass
    for p in pids:
        try:
            os.kill(p, signal.SIGKILL)
        except ProcessLookupError:
            pass
    for pgid in groups - {os.getpgrp()}:
        try:
            os.killpg(pgid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
