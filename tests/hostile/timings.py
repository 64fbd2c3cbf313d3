"""How long each hostile file of the suite takes to fail (not a test: a tool; timings are never
asserted in tests). ``python -m tests.hostile.timings [CASE...]`` parses each file through the
supervised child with the limits its case sets, and prints wall and CPU seconds, the kind and the
message. The CPU is the child's own (and its children's), as the child measures it."""

from __future__ import annotations

import sys
import time

from pipeline.record import ParseError
from runner.parse import parse_supervised
from tests.hostile.test_hostile_files import CASES, _limits


def main(argv: list[str]) -> int:
    wanted = argv or sorted(CASES)
    print(f"{'case':28} {'size':>9} {'wall s':>7} {'cpu s':>6}  kind: message")
    for case_id in wanted:
        case = CASES[case_id]
        data = case.build()
        stats: dict = {}
        started = time.monotonic()
        try:
            parse_supervised(data, case.name, _limits(case.env), stats)
            outcome = "parsed (not refused!)"
        except ParseError as err:
            outcome = f"{err.kind}: {str(err)[:100]}"
        wall = time.monotonic() - started
        cpu = stats.get("cpu")
        print(
            f"{case_id:28} {len(data) / 1024:8.0f}K {wall:7.2f} {cpu if cpu is not None else float('nan'):6.2f}  {outcome}",
            flush=True,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
