"""Word 97 (.doc) and Kingsoft (.wps) versions of a sample DOCX, through LibreOffice headless.

A Kingsoft WPS .wps file is an OLE compound document with a ``WordDocument`` stream, i.e. the same
container as a Word 97 .doc (``pipeline/sniff.py`` tells them apart only by the file name), so
``fmt="wps"`` returns the .doc bytes, to be saved under a ``.wps`` name. LibreOffice runs with its
own profile directory (never the user's), one process for a whole batch, under a timeout.
"""

from __future__ import annotations

import io
import os
import shutil
import signal
import subprocess
import tempfile
import zipfile
from pathlib import Path
from typing import Sequence

FORMATS = ("doc", "wps")
DEFAULT_TIMEOUT_S = 180.0


class OfficeError(RuntimeError):
    """LibreOffice is missing, failed, or timed out."""


def soffice_path() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def render_office(docx_bytes: bytes, fmt: str = "doc", *, timeout: float = DEFAULT_TIMEOUT_S) -> bytes:
    return render_office_batch([docx_bytes], fmt, timeout=timeout)[0]


def render_office_batch(
    docx_list: Sequence[bytes], fmt: str = "doc", *, timeout: float = DEFAULT_TIMEOUT_S
) -> list[bytes]:
    """Convert many DOCX files in one LibreOffice run; results in the same order."""
    if fmt not in FORMATS:
        raise ValueError(f"fmt must be one of {FORMATS}, not {fmt!r}")
    if not docx_list:
        return []
    for i, data in enumerate(docx_list):
        if not _is_docx(data):
            raise ValueError(f"item {i} is not a DOCX file")
    soffice = soffice_path()
    if soffice is None:
        raise OfficeError("LibreOffice (soffice) is not installed")
    with tempfile.TemporaryDirectory(prefix="gongkai-office-") as tmp:
        tmp_path = Path(tmp)
        src, out, profile = tmp_path / "in", tmp_path / "out", tmp_path / "profile"
        src.mkdir()
        out.mkdir()
        names = []
        for i, data in enumerate(docx_list):
            name = f"sample{i:05d}"
            (src / f"{name}.docx").write_bytes(data)
            names.append(name)
        cmd = [
            soffice,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--norestore",
            "--nolockcheck",
            "--convert-to",
            "doc:MS Word 97",
            "--outdir",
            str(out),
            *[str(src / f"{n}.docx") for n in names],
        ]
        # own process group: on timeout the whole LibreOffice tree (oosplash, soffice.bin) is ended
        proc = subprocess.Popen(
            cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, start_new_session=True
        )
        try:
            _, stderr = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired as exc:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
            raise OfficeError(f"LibreOffice timed out after {timeout:g} s converting {len(names)} files") from exc
        results = []
        for n in names:
            target = out / f"{n}.doc"
            if not target.exists():
                tail = stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or [""]
                raise OfficeError(f"LibreOffice did not convert {n}.docx (exit {proc.returncode}): {tail[0]}")
            results.append(target.read_bytes())
        return results


def _is_docx(data: bytes) -> bool:
    if not data.startswith(b"PK\x03\x04"):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            return "word/document.xml" in zf.namelist()
    except (zipfile.BadZipFile, ValueError):
        return False
