"""``gongkai run``: the full pipeline for the sources of a YAML file, as a Prefect flow."""
from __future__ import annotations

import sys

from .prefect_env import configure


def run_command(args) -> int:
    configure(args.data)
    from crawler.sources import SourcesError, load_sources

    try:
        load_sources(args.sources)
    except SourcesError as err:
        print(f"gongkai run: {err}", file=sys.stderr)
        return 2
    years = [int(y) for y in args.years.split(",")] if args.years else None
    from .process import shutdown_pool
    from .run import SourcesFailed, run_sources

    try:
        summary = run_sources(args.sources, warehouse=args.warehouse, data_dir=args.data, years=years,
                              run_id=args.run_id)
    except SourcesFailed as err:
        print(f"gongkai run: {err}", file=sys.stderr)
        return 1
    finally:
        shutdown_pool()
    print(f"run {summary['run_id']}: {summary['documents']} documents, {summary['parsed_ok']} parsed, "
          f"{summary['parse_failed']} failed; warehouse {args.warehouse}")
    return 0
