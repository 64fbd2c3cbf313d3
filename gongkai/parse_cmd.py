"""``gongkai parse PATH... [--json|--jsonl] [--timeout S]``: print the record of each file.

Each file is parsed in one supervised child process (``runner.supervisor``): a hostile file costs at most
the configured memory and time and gives one line on stderr; limits come from ``GONGKAI_*``
variables (``docs/reliability.md``) and ``--timeout`` (seconds per document at most)."""

from __future__ import annotations

import json
import os
import sys


def main(args) -> int:
    from pipeline.limits import Limits

    try:
        limits = Limits.from_env(max_seconds=getattr(args, "timeout", None))
    except ValueError as err:
        print(f"gongkai parse: {err}", file=sys.stderr)
        return 2

    try:
        return _parse_all(args, limits)
    except BrokenPipeError:  # the reader went away (e.g. `| head`): stop quietly
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1


def _parse_all(args, limits) -> int:
    from pipeline.html_images import MISSING_NOTE
    from pipeline.record import ParseError
    from runner.parse import parse_file

    from runner.progress import progress

    failures = 0
    many = args.jsonl or len(args.paths) > 1
    paths = progress(args.paths, label="parse") if len(args.paths) > 1 else args.paths
    for path in paths:
        try:
            record = parse_file(path, limits)
        except ParseError as err:
            failures += 1
            print(f"gongkai parse: {path}: {err}", file=sys.stderr)
            if many:
                print(json.dumps({"file": path, "error": str(err), "error_kind": err.kind}, ensure_ascii=False))
            continue
        except Exception as err:  # noqa: BLE001 - a bug must not become a traceback for the user
            failures += 1
            print(f"gongkai parse: {path}: internal error ({type(err).__name__}: {err})", file=sys.stderr)
            if many:
                print(
                    json.dumps(
                        {"file": path, "error": f"internal error: {type(err).__name__}", "error_kind": "internal"},
                        ensure_ascii=False,
                    )
                )
            continue
        for note in record.warnings:
            if note.startswith(MISSING_NOTE):  # a saved page without its images: say so, not only in the JSON
                print(f"gongkai parse: {path}: {note}", file=sys.stderr)
        out = record.to_dict()
        if many:
            out = {"file": path, **out}
        print(json.dumps(out, ensure_ascii=False, indent=2 if args.pretty and not many else None))
        sys.stdout.flush()
    return 1 if failures else 0
