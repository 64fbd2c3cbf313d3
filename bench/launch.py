"""A tiny launcher: ``python -S launch.py RUSAGE.json CMD...`` runs CMD and writes its rusage.

Linux keeps a process's peak RSS across ``exec``: a child started straight from a large parent
(the benchmark driver, which imported the generator) would report at least the parent's size. This
launcher is small (no site packages, stdlib only), so the peak it reads with ``wait4`` is the
measured child's own.
"""

import json
import os
import signal
import sys


def main() -> int:
    out, cmd = sys.argv[1], sys.argv[2:]
    pid = os.fork()
    if pid == 0:  # pragma: no cover - replaced by exec
        try:
            os.execvp(cmd[0], cmd)
        finally:
            os._exit(127)

    def forward(signum, _frame):
        try:
            os.kill(pid, signum)
        except ProcessLookupError:
            pass

    signal.signal(signal.SIGTERM, forward)
    _, status, usage = os.wait4(pid, 0)
    with open(out, "w") as fh:
        json.dump(
            {"status": status, "maxrss_kb": usage.ru_maxrss, "utime": usage.ru_utime, "stime": usage.ru_stime}, fh
        )
    code = os.waitstatus_to_exitcode(status)
    return code if code >= 0 else 128 - code


if __name__ == "__main__":
    sys.exit(main())
