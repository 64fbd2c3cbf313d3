"""The packages keep their layers (gongkai > flows > crawler | warehouse > runner > pipeline, the
import-linter contract in pyproject.toml), and every import of a project name, also one made inside
a function (which no import at load time would catch), names something that exists."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

from importlinter.cli import lint_imports

REPO = Path(__file__).resolve().parents[1]
PACKAGES = ("pipeline", "runner", "warehouse", "crawler", "flows", "gongkai")


def test_the_layers_contract_is_kept():
    assert lint_imports(config_filename=str(REPO / "pyproject.toml"), no_cache=True, no_logo=True) == 0


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
        mod = importlib.import_module(module)
        if hasattr(mod, name):
            continue
        try:
            importlib.import_module(f"{module}.{name}")
        except ModuleNotFoundError:
            missing.append(f"{file}:{line}: from {module} import {name}")
    assert missing == []
