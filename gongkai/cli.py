"""The ``gongkai`` command: parse, run, sources, discover, demo, sql, export, report."""

from __future__ import annotations

import argparse
import importlib
import sys

DEFAULT_WAREHOUSE = "data/warehouse.duckdb"


def _lazy(target: str):
    """Import ``module:function`` only when the subcommand runs (keeps ``gongkai parse`` fast)."""

    def call(args):
        module, func = target.split(":")
        return getattr(importlib.import_module(module), func)(args)

    return call


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="gongkai", description=__doc__)
    sub = p.add_subparsers(dest="command", required=True)

    sp = sub.add_parser("parse", help="parse report files and print their records")
    sp.add_argument("paths", nargs="+", metavar="PATH")
    fmt = sp.add_mutually_exclusive_group()
    fmt.add_argument("--json", action="store_true", help="one JSON object (one file) [default]")
    fmt.add_argument("--jsonl", action="store_true", help="one JSON record per line, in the order given")
    sp.add_argument("--pretty", action="store_true", help="indent the JSON")
    sp.add_argument("--timeout", type=float, default=None, help="seconds allowed per document")
    sp.set_defaults(func=_lazy("gongkai.parse_cmd:main"))

    sp = sub.add_parser("run", help="crawl, convert, parse and load the sources of a YAML file")
    sp.add_argument("--sources", required=True, metavar="FILE")
    sp.add_argument("--warehouse", default=DEFAULT_WAREHOUSE, metavar="PATH")
    sp.add_argument("--data", default="data", metavar="DIR", help="store, runs and caches")
    sp.add_argument("--years", default=None, help="comma-separated report years to keep")
    sp.add_argument("--run-id", default=None)
    sp.add_argument(
        "--crawl-setting",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="a Scrapy setting for every crawl of this run (e.g. DOWNLOAD_DELAY=0 for a local portal)",
    )
    sp.set_defaults(func=_lazy("flows.cli:run_command"))

    sp = sub.add_parser("sources", help="check a sources file or the registry; --coverage: divisions with an entry")
    sp.add_argument("--sources", default="sources/registry.yaml", metavar="FILE_OR_DIR")
    sp.add_argument("--coverage", action="store_true", help="per province, the divisions that have an entry")
    sp.add_argument("--uncovered", action="store_true", help="with --coverage, list every division without one")
    sp.set_defaults(func=_lazy("gongkai.sources_cmd:main"))

    sp = sub.add_parser("discover", help="look at a portal politely and print the sources entry to paste")
    sp.add_argument("url", metavar="URL", help="the portal's home page or its annual-report column")
    sp.add_argument("--pages", type=int, default=20, help="page budget (robots.txt included) [20]")
    sp.add_argument("--delay", type=float, default=1.0, help="seconds between requests [1.0]")
    sp.add_argument("--reports", type=int, default=10, help="reports to print [10]")
    sp.add_argument("--timeout", type=float, default=300.0, help="seconds for the whole look [300]")
    sp.add_argument("--allow-private", action="store_true", help="allow loopback/private addresses (fixtures)")
    sp.set_defaults(func=_lazy("gongkai.discover:main"))

    sp = sub.add_parser("demo", help="serve the bundled sample portal on 127.0.0.1 and run the pipeline on it")
    sp.add_argument("--data", default="data", metavar="DIR")
    sp.add_argument("--warehouse", default=DEFAULT_WAREHOUSE, metavar="PATH")
    sp.set_defaults(func=_lazy("gongkai.demo:main"))

    sp = sub.add_parser("sql", help="run SQL against the warehouse and print a table")
    sp.add_argument("query")
    sp.add_argument("--warehouse", default=DEFAULT_WAREHOUSE, metavar="PATH")
    sp.set_defaults(func=_lazy("warehouse.commands:sql_command"))

    sp = sub.add_parser("search", help="full-text search of the reports' section texts")
    sp.add_argument("query")
    sp.add_argument("--limit", type=int, default=10)
    sp.add_argument("--warehouse", default=DEFAULT_WAREHOUSE, metavar="PATH")
    sp.set_defaults(func=_lazy("warehouse.commands:search_command"))

    sp = sub.add_parser("export", help="write every public view to files")
    sp.add_argument("--format", choices=["parquet", "csv"], default="parquet")
    sp.add_argument("--out", required=True, metavar="DIR")
    sp.add_argument("--warehouse", default=DEFAULT_WAREHOUSE, metavar="PATH")
    sp.set_defaults(func=_lazy("warehouse.commands:export_command"))

    sp = sub.add_parser("report", help="a self-contained HTML quality report of a warehouse")
    sp.add_argument("--warehouse", default=DEFAULT_WAREHOUSE, metavar="PATH")
    sp.add_argument("--out", default="report.html", metavar="FILE")
    sp.set_defaults(func=_lazy("gongkai.quality_report:main"))
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        rc = args.func(args)
    except KeyboardInterrupt:
        print("gongkai: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # `gongkai sql … | head`: the reader left, nothing more to say
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    return int(rc or 0)


if __name__ == "__main__":
    sys.exit(main())
