"""DOC and WPS (a Kingsoft .wps is a Word 97 container) → DOCX with LibreOffice headless.

LibreOffice runs with a throw-away profile, HOME and TMPDIR inside one temporary directory that is
removed afterwards, in a session of its own so that a timeout kills all of its processes.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import Sequence

from .record import ParseError

DEFAULT_TIMEOUT = 120.0


def soffice_path() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


@lru_cache(maxsize=1)
def soffice_version() -> str:
    exe = soffice_path()
    if not exe:
        return "LibreOffice (not installed)"
    with tempfile.TemporaryDirectory(prefix="gongkai-lo-") as tmp:
        try:
            out = subprocess.run(
                [exe, "--version"], capture_output=True, text=True, timeout=30, env=_sandbox_env(Path(tmp)), cwd=tmp
            ).stdout
        except (OSError, subprocess.TimeoutExpired):
            return "LibreOffice"
    parts = out.split()
    return " ".join(parts[:2]) if parts else "LibreOffice"


def _sandbox_env(tmpdir: Path) -> dict[str, str]:
    """LibreOffice's environment: HOME, TMPDIR and the XDG dirs all inside ``tmpdir``."""
    scratch = tmpdir / "tmp"
    scratch.mkdir(exist_ok=True)
    env = dict(
        os.environ,
        HOME=str(tmpdir),
        TMPDIR=str(scratch),
        TMP=str(scratch),
        TEMP=str(scratch),
        XDG_CONFIG_HOME=str(tmpdir / "config"),
        XDG_CACHE_HOME=str(tmpdir / "cache"),
        XDG_DATA_HOME=str(tmpdir / "data"),
    )
    env.pop("XDG_RUNTIME_DIR", None)
    return env


def convert_batch(
    blobs: Sequence[bytes], *, src_ext: str = "doc", target: str = "docx", timeout: float = DEFAULT_TIMEOUT
) -> list[bytes | None]:
    """Convert several documents in ONE LibreOffice start (start-up dominates the cost). Each entry
    of the result is the converted bytes, or None when LibreOffice produced nothing for it."""
    exe = soffice_path()
    if not exe:
        raise ParseError(
            "DOC/WPS needs LibreOffice: install it (apt-get install libreoffice-writer-nogui)", "unsupported"
        )
    with tempfile.TemporaryDirectory(prefix="gongkai-lo-") as tmp:
        tmpdir = Path(tmp)
        src = tmpdir / "in"
        out = tmpdir / "out"
        src.mkdir()
        out.mkdir()
        names = []
        for i, blob in enumerate(blobs):
            p = src / f"d{i:05d}.{src_ext}"
            p.write_bytes(blob)
            names.append(p)
        profile = tmpdir / "profile"
        cmd = [
            exe,
            "--headless",
            "--norestore",
            "--nolockcheck",
            "--nodefault",
            f"-env:UserInstallation={profile.as_uri()}",
            "--convert-to",
            target,
            "--outdir",
            str(out),
            *map(str, names),
        ]
        _run(cmd, _sandbox_env(tmpdir), timeout, cwd=tmpdir)
        results: list[bytes | None] = []
        for p in names:
            q = out / (p.stem + "." + target)
            results.append(q.read_bytes() if q.exists() and q.stat().st_size > 0 else None)
        return results


def _run(cmd: list[str], env: dict[str, str], timeout: float, cwd: Path) -> None:
    proc = subprocess.Popen(
        cmd,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
        cwd=cwd,
        start_new_session=True,
    )
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        raise ParseError(f"LibreOffice did not finish converting within {timeout:.0f} s", "timeout") from None
    finally:
        try:
            os.killpg(proc.pid, signal.SIGKILL)  # soffice.bin and anything it left behind
        except (ProcessLookupError, PermissionError):
            pass
        proc.wait()


def to_docx(data: bytes, fmt: str = "doc", timeout: float = DEFAULT_TIMEOUT) -> bytes:
    [converted] = convert_batch([data], src_ext="wps" if fmt == "wps" else "doc", timeout=timeout)
    if converted is None:
        raise ParseError(
            f"LibreOffice could not read this {fmt.upper()} file (corrupt or not a Word document)", "corrupt"
        )
    return converted
