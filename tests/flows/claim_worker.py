"""One worker's parse task on a shared data directory, as a process of its own (the claim tests):
``python -m tests.flows.claim_worker DATA STORE_PATH SHA256`` prints the result's status and record."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from flows.process import DocumentFailed, ledger_path, parse_document, release_claim, save_result


def main(data: str, path: str, sha: str) -> int:
    """What a flow's parse lane does with one document: the task, then the result saved, then the
    claim let go."""
    try:
        result = parse_document.fn(
            sha,
            path,
            Path(path).name,
            timeout_s=120,
            ledger=str(ledger_path(Path(data))),
            run_id="claim-test",
            cache_dir=str(Path(data) / "parsed"),
        )
    except DocumentFailed as err:
        result = err.result
    save_result(Path(data), result)
    release_claim(Path(data) / "parsed", sha)
    print(json.dumps({"status": result["status"], "record": result.get("record")}, ensure_ascii=False, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
