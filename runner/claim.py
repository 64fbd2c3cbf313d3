"""A claim on one parse of the shared parse cache, so that two workers meeting the same bytes at the
same moment parse them once: the first takes the claim and parses, the second waits for the claim to
go and then uses the first's result (``DATA/parsed/<sha256>.<version>.json``).

The claim is a file beside the results, ``DATA/parsed/<cache key>.claim``, made with ``O_CREAT|O_EXCL``
(atomic on a local disk and on NFS v3/v4). Why not what exists:

- Prefect's own answer (the cache policy's ``SERIALIZABLE`` isolation with a
  ``FileSystemLockManager``) takes its lock without a hold timeout in Prefect 3.8
  (``ResultStore.acquire_lock`` passes none), so a worker killed -9 in the middle of a parse would
  leave that document locked for good, and its lock file is empty between its ``touch`` and its
  write, which a reader at that moment fails to decode;
- a Postgres advisory lock would die with the worker's connection, but the parse cache is the shared
  *directory*: a ``gongkai run`` on one machine has no Postgres, and a cluster's workers would each
  hold a connection per parse in flight for as long as it runs.

A claim that lost its holder is taken over: at once when the holder is a process of this machine
that is gone; otherwise when the claim file's mtime has not moved for ``stale_s`` seconds of the
waiter's own clock (the holder touches it every ``beat_s`` seconds while it parses, so a long parse
keeps its claim and clocks of other machines do not matter).
"""

from __future__ import annotations

import json
import os
import socket
import threading
import time
import uuid
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

BEAT_S = 15.0
STALE_S = float(os.environ.get("GONGKAI_CLAIM_STALE_S") or 120)  # 8 missed beats
POLL_S = 0.2


@dataclass
class Claim:
    """A held claim: ``waited`` says whether another holder had it first."""

    path: Path
    token: str
    waited: bool = False
    _stop: threading.Event = field(default_factory=threading.Event)


def _holder(path: Path) -> dict[str, Any] | None:
    try:
        got = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None  # gone, or written this very moment (an empty file is a fresh claim)
    return got if isinstance(got, dict) else None


def _gone(holder: dict[str, Any] | None) -> bool:
    """The holder is a process of this machine that no longer runs."""
    if not holder or holder.get("host") != socket.gethostname():
        return False
    try:
        os.kill(int(holder["pid"]), 0)
    except ProcessLookupError:
        return True
    except (PermissionError, ValueError, KeyError, TypeError):
        return False
    try:  # a zombie is not running either
        return Path(f"/proc/{holder['pid']}/stat").read_text().split()[2] == "Z"
    except OSError:
        return False


def signature(path: Path) -> tuple[int, int] | None:
    """(inode, mtime) of a file, None when there is none: a file rewritten since has another."""
    try:
        st = path.stat()
    except FileNotFoundError:
        return None
    return st.st_ino, st.st_mtime_ns


def _break(path: Path, seen: tuple[int, int]) -> None:
    """Remove a stale claim, unless it changed since it was judged stale. Breakers take turns through
    an O_EXCL guard, so two of them never remove a claim a third has just made."""
    guard = path.with_name(path.name + ".break")
    try:
        fd = os.open(guard, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
    except FileExistsError:
        try:
            if (time.time() - guard.stat().st_mtime) > 60:  # a breaker died within these few lines
                guard.unlink(missing_ok=True)
        except FileNotFoundError:
            pass
        return
    try:
        if signature(path) == seen:
            path.unlink(missing_ok=True)
    finally:
        os.close(fd)
        guard.unlink(missing_ok=True)


def _try(path: Path, token: str) -> bool:
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
    except FileExistsError:
        return False
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump({"host": socket.gethostname(), "pid": os.getpid(), "token": token, "at": time.time()}, fh)
    return True


def _beat(claim: Claim, beat_s: float) -> None:
    while not claim._stop.wait(beat_s):
        try:
            os.utime(claim.path)
        except OSError:
            return  # broken by a waiter that judged it stale: nothing left to keep alive


def acquire(path: Path, *, stale_s: float | None = None, poll_s: float = POLL_S) -> Claim:
    """Take the claim at ``path``, waiting while a live holder has it."""
    stale_s = STALE_S if stale_s is None else stale_s
    path.parent.mkdir(parents=True, exist_ok=True)
    token, waited = uuid.uuid4().hex, False
    seen, since = None, time.monotonic()
    while not _try(path, token):
        waited = True
        sig = signature(path)
        if sig is None:
            continue  # released just now: try again at once
        if sig != seen:
            seen, since = sig, time.monotonic()
        elif time.monotonic() - since > stale_s or _gone(_holder(path)):
            _break(path, sig)  # then try again after the pause below
        time.sleep(poll_s)
    return Claim(path, token, waited)


def release(claim: Claim) -> None:
    """Give the claim back (only ours: one a waiter broke and took over stays theirs)."""
    claim._stop.set()
    holder = _holder(claim.path)
    if holder is not None and holder.get("token") == claim.token:
        claim.path.unlink(missing_ok=True)


def take(path: Path, *, stale_s: float | None = None, beat_s: float = BEAT_S) -> Claim:
    """The claim, kept alive by a heartbeat until ``release``."""
    claim = acquire(path, stale_s=stale_s)
    beat = threading.Thread(target=_beat, args=(claim, beat_s), daemon=True, name=f"claim {path.name}")
    beat.start()
    return claim


@contextmanager
def held(path: Path, *, stale_s: float | None = None, beat_s: float = BEAT_S) -> Iterator[Claim]:
    """``with held(path) as claim:`` the claim, kept alive by a heartbeat while the block runs."""
    claim = take(path, stale_s=stale_s, beat_s=beat_s)
    try:
        yield claim
    finally:
        release(claim)
