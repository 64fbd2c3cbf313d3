"""Imported first by the parse fork server: stop multiprocessing from re-running the parent's main
module in every supervised child.

A forkserver child "fixes up" ``__main__`` before it runs: it re-runs the parent's main module
(``runpy``) unless its own ``__main__`` already carries the same name or file. The fork server's
``__main__`` is an empty ``-c`` module, so every parse paid for the parent's main again: under
``python -m prefect.engine`` (a Prefect worker's flow run) that is an import of Prefect, 0.9 s of CPU
per document against 0.05 s for the parse (measured, docs/benchmarks.md). The jobs a supervisor sends
are module-level functions of importable modules (they pickle by name), so the children never need
the parent's ``__main__``. The parent names its main module in ``GONGKAI_FORKSERVER_MAIN`` before the
fork server starts (its environment is the only channel into the fork server); here the fork
server's ``__main__`` takes that name and file, and the stdlib's own check then skips the re-run.
"""

from __future__ import annotations

import importlib.machinery
import json
import os
import sys

ENV = "GONGKAI_FORKSERVER_MAIN"


def describe_main() -> str:
    """The parent's main module as multiprocessing will name it to its children (spec name, file)."""
    from multiprocessing import process

    main = sys.modules.get("__main__")
    name = getattr(getattr(main, "__spec__", None), "name", None)
    path = getattr(main, "__file__", None)
    origin = getattr(process, "ORIGINAL_DIR", None)  # not in the stubs
    if path and not os.path.isabs(path) and origin is not None:
        path = os.path.join(origin, path)  # as spawn.get_preparation_data sends it
    return json.dumps({"name": name, "file": path})


def _adopt() -> None:
    try:
        said = json.loads(os.environ.get(ENV) or "{}")
    except ValueError:
        return
    main = sys.modules.get("__main__")
    if main is None:
        return
    if said.get("name"):
        main.__spec__ = importlib.machinery.ModuleSpec(said["name"], None)
    if said.get("file"):
        main.__file__ = said["file"]


_adopt()
