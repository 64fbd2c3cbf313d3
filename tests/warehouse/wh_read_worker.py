"""A separate process that reads a DuckLake warehouse repeatedly while others write to it."""

import json
import sys

from warehouse.connect import connect


def main() -> int:
    target, rounds = sys.argv[1], int(sys.argv[2])
    seen = []
    for _ in range(rounds):
        conn = connect(target, read_only=True)
        seen.append(conn.execute("SELECT count(*) FROM reports").fetchone()[0])
        conn.close()
    print(json.dumps(seen))
    return 0


if __name__ == "__main__":
    sys.exit(main())
