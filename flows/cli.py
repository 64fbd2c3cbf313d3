"""``gongkai run``: the full pipeline for the sources of a YAML file, as a Prefect flow."""

from __future__ import annotations

import sys

from flows.prefect_env import configure


def run_command(args) -> int:
    from flows.preflight import PreflightError, preflight

    try:  # before Prefect starts and before any request
        preflight(sources_file=args.sources, warehouse=args.warehouse, data_dir=args.data)
    except PreflightError as err:
        print(f"gongkai run: {err}", file=sys.stderr)
        return 2
    configure(args.data)
    try:
        years = [int(y) for y in args.years.split(",")] if args.years else None
        settings = dict(kv.split("=", 1) for kv in args.crawl_setting)
    except ValueError:
        print("gongkai run: --years takes years like 2022,2023 and --crawl-setting takes KEY=VALUE", file=sys.stderr)
        return 2
    from flows.run import SourcesFailed, run_sources

    try:
        summary = run_sources(
            args.sources,
            warehouse=args.warehouse,
            data_dir=args.data,
            years=years,
            run_id=args.run_id,
            crawl_settings=settings or None,
        )
    except SourcesFailed as err:
        print_outcomes(getattr(err, "summary", None) or {})
        print(f"gongkai run: {err}", file=sys.stderr)
        return 1
    print_outcomes(summary)
    print(
        f"run {summary['run_id']}: {summary['documents']} documents, {summary['parsed_ok']} parsed "
        f"({summary['parsed_now']} now, {summary['cached']} from the cache), {summary['parse_failed']} failed; "
        f"warehouse {args.warehouse}"
    )
    return 0


def print_outcomes(summary: dict) -> None:
    """One line per source: its outcome (ok, partial, empty, blocked, down), documents and reason."""
    for sid, o in sorted((summary.get("source_outcomes") or {}).items()):
        print(f"  {sid}: {o.get('outcome')} ({o.get('n_documents', 0)} documents) — {o.get('reason', '')}")
