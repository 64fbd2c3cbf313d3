"""The packages keep their layers (gongkai > flows > crawler | warehouse > runner > pipeline, the
import-linter contract in pyproject.toml), and every import of a project name, also one made inside
a function (which no import at load time would catch), names something that exists."""

from __future__ import annotations

import ast
import importlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
PACKAGES = ("pipeline", "runner", "warehouse", "crawler", "flows", "gongkai")


@pytest.mark.slow  # a process of its own: in the test session, other tests' modules and stubs confuse it
def test_the_layers_contract_is_kept():
    exe = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    assert exe is not None, "import-linter is in the test extras"
    env = {**os.environ, "PYTHONPATH": str(REPO)}  # this checkout's packages, whatever is installed
    proc = subprocess.run([exe, "--no-cache"], cwd=REPO, env=env, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "1 kept, 0 broken" in proc.stdout


def _project_imports() -> list[tuple[str, int, str, str]]:
    """(file, line, module, name) of every ``from <project module> import <name>`` in the packages."""
    out = []
    for package in PACKAGES:
        for path in sorted((REPO / package).rglob("*.py")):
            rel = path.relative_to(REPO)
            own = ".".join(rel.with_suffix("").parts)
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                if not isinstance(node, ast.ImportFrom):
                    continue
                if node.level:  # relative: resolve against the importing module's package
                    base = own.split(".")[: -node.level]  # (own ends in __init__ for a package)
                    module = ".".join(base + ([node.module] if node.module else []))
                else:
                    module = node.module or ""
                if module.split(".")[0] not in PACKAGES:
                    continue
                out += [(str(rel), node.lineno, module, a.name) for a in node.names if a.name != "*"]
    return out


def test_every_project_import_names_something_that_exists():
    missing = []
    for file, line, module, name in _project_imports():
        try:
            mod = importlib.import_module(module)
        except ModuleNotFoundError:
            missing.append(f"{file}:{line}: from {module} import {name} (no module {module})")
            continue
        if hasattr(mod, name):
            continue
        try:
            importlib.import_module(f"{module}.{name}")
        except ModuleNotFoundError:
            missing.append(f"{file}:{line}: from {module} import {name}")
    assert missing == []
