"""Functions run in a supervised child by the tests (module level, so that they pickle)."""

from __future__ import annotations

import ctypes
import os
import subprocess
import tempfile
import time

from runner.supervisor import announce_work
from pipeline.record import ParseError


def echo(value):
    return value


def refuse(message: str, kind: str):
    raise ParseError(message, kind)


def bug():
    return {}["missing"]


MARK = None  # set by a test in the parent: a child of the fork server does not see it


def mark():
    return MARK


def hog(mb_per_step: int = 32):
    """Fill ever more memory (swallowing MemoryError, as pdfminer does per page)."""
    keep = []
    while True:
        try:
            keep.append(b"\x01" * (mb_per_step << 20))
        except MemoryError:
            pass


def huge_allocation():
    return b"\x01" * (1 << 40)  # 1 TiB: over the address-space backstop at once


def sleep_forever():
    while True:
        time.sleep(1)


def spin():
    while True:
        pass


def segfault():
    ctypes.string_at(0)


def spawn_and_hang(pid_file: str, new_session: bool):
    """Start ``sleep`` (in a session of its own, as LibreOffice is, or not), note its pid, hang."""
    proc = subprocess.Popen(["sleep", "600"], start_new_session=new_session)
    with open(pid_file, "w") as fh:
        fh.write(str(proc.pid))
    sleep_forever()


def temp_file_and_hang(note: str):
    """Write into the temp dir (as LibreOffice does), note where, hang."""
    fd, path = tempfile.mkstemp(prefix="left-behind-")
    os.write(fd, b"x" * 1000)
    os.close(fd)
    with open(note, "w") as fh:
        fh.write(path)
    sleep_forever()


def pages_then_sleep(pages: int, ocr_pages: int, seconds: float):
    announce_work(pages, ocr_pages)
    time.sleep(seconds)
    return "done"


def print_noise():
    print("noise on stdout")
    os.write(2, b"noise on stderr\n")
    return "quiet"


def big_result(n: int):
    return b"x" * n


def exit_code(code: int):
    os._exit(code)


def unpicklable():
    return lambda: None
