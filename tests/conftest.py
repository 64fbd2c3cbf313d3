import os
import pathlib
import shutil
import sys

import pytest

REPO = pathlib.Path(__file__).resolve().parents[1]


def _find_shared() -> pathlib.Path:
    """``../shared`` beside the checkout (CI, the main clone); ``GONGKAI_SHARED`` or one level further
    up for a worktree nested one directory deeper."""
    if os.environ.get("GONGKAI_SHARED"):
        return pathlib.Path(os.environ["GONGKAI_SHARED"])
    for base in (REPO.parent, REPO.parent.parent):
        if (base / "shared" / "corpus").is_dir():
            return base / "shared"
    return REPO.parent / "shared"


SHARED = _find_shared()
CORPUS = SHARED / "corpus"


def gongkai_exe() -> list[str]:
    """The ``gongkai`` console script of this interpreter's environment."""
    exe = pathlib.Path(sys.executable).with_name("gongkai")
    if exe.exists():
        return [str(exe)]
    return [sys.executable, "-m", "gongkai.cli"]


@pytest.fixture(scope="session")
def corpus() -> pathlib.Path:
    if not CORPUS.exists():
        pytest.skip("../shared/corpus is not beside this checkout")
    return CORPUS


def require_tool(name: str) -> str:
    """Path of a Debian tool the test needs. Missing tools fail the test (CI installs them), unless
    GONGKAI_ALLOW_MISSING_TOOLS=1 asks to skip instead."""
    path = shutil.which(name)
    if path:
        return path
    if os.environ.get("GONGKAI_ALLOW_MISSING_TOOLS") == "1":
        pytest.skip(f"{name} is not installed")
    pytest.fail(f"{name} is not installed: run `sh scripts/install-system-deps.sh` (make test does)")


# ---------------------------------------------------------------------------------- the fast tier
# `make test-fast` runs `-m "not slow"`: tests that start no server, subprocess, LibreOffice, OCR
# engine or browser. A test without the mark that starts one fails, naming what it started, so the
# fast tier stays fast: the standard library's audit events say when a process starts or a socket
# is bound or connected (a server, the parse supervisor's fork server, a Prefect API).
_STARTS = {
    "subprocess.Popen": "a subprocess",
    "os.posix_spawn": "a process",
    "os.fork": "a fork",
    "os.system": "a shell command",
    "os.exec": "a program",
    "socket.bind": "a server socket",
    "socket.connect": "a socket connection",
}
_WATCHING: list[list[str]] = []
# programs libraries run to probe the platform (platform.architecture runs `file`): not a test's work
_PROBES = {"file", "uname", "ldconfig", "gcc", "cc", "objdump", "ld"}


def _audit_starts(event: str, args: tuple) -> None:
    if _WATCHING and event in _STARTS:
        what = _STARTS[event]
        if event == "subprocess.Popen" and args:
            program = pathlib.Path(str(args[0])).name
            if program in _PROBES:
                return
            what += f" ({program})"
        _WATCHING[-1].append(what)


sys.addaudithook(_audit_starts)

# engines whose use makes a test slow even in process (seconds per page)
_SLOW_MODULES = ("rapidocr_onnxruntime",)


@pytest.fixture(autouse=True)
def _fast_tests_start_nothing(request):
    if request.node.get_closest_marker("slow"):
        yield
        return
    loaded = {m for m in _SLOW_MODULES if m in sys.modules}
    started: list[str] = []
    _WATCHING.append(started)
    try:
        yield
    finally:
        _WATCHING.remove(started)
    ocr = [m for m in _SLOW_MODULES if m in sys.modules and m not in loaded]
    if started or ocr:
        pytest.fail(
            f"this test starts {(started + ocr)[0]} but is not marked @pytest.mark.slow "
            "(make test-fast runs the unmarked tests)",
            pytrace=False,
        )
