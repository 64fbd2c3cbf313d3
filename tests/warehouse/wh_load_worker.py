"""A separate process that loads one hand-written run into a warehouse (used by the many-writers test)."""

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import wh_records as records
from warehouse.loader import load_run


def main() -> int:
    target, run_id, tag = sys.argv[1:4]
    summary = load_run(target, **records.run(run_id=run_id, tag=tag))
    print(json.dumps({"reports": summary.reports, "retries": summary.transaction_retries}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
