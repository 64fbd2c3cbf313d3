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
