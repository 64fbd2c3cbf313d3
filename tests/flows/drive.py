"""Run flows one after the other in this process and print each outcome as a JSON line (the tests
call it as a subprocess pointed at their Prefect server, which saves a Python start per flow):
``python -m tests.flows.drive '[["MODULE:FLOW", {"param": ...}], ...]'``."""

from __future__ import annotations

import importlib
import json
import sys


def run(target: str, params: dict) -> dict:
    module, name = target.split(":")
    flow = getattr(importlib.import_module(module), name).with_options(retries=0)  # one attempt, judged by the test
    try:
        return {"ok": True, "result": flow(**params)}
    except Exception as exc:  # the outcome is the test's to judge
        return {"ok": False, "error": type(exc).__name__, "message": str(exc)}


def main() -> int:
    for target, params in json.loads(sys.argv[1]):
        print(json.dumps(run(target, params), ensure_ascii=False, default=str), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
