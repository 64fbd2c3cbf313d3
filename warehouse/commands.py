"""``gongkai sql`` and ``gongkai export``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import duckdb

from warehouse import research, search
from warehouse.connect import WarehouseError, connect
from warehouse.table_format import format_table
from warehouse.target import Target, parse_target
from warehouse.views import PUBLIC_VIEWS

MAX_ROWS = 200


def _one_line(err: Exception) -> str:
    text = str(err).strip().splitlines()
    return text[0] if text else type(err).__name__


def _open(args: argparse.Namespace, command: str) -> tuple[Target | None, duckdb.DuckDBPyConnection | None]:
    try:
        target = parse_target(args.warehouse)
        return target, connect(target, read_only=True, lock_timeout=10.0)
    except (WarehouseError, ValueError) as err:
        print(f"gongkai {command}: {err}", file=sys.stderr)
        return None, None


def _resolve_query(text: str) -> str:
    """``@name`` runs ``warehouse/queries/name.sql``; a path to a .sql file runs that file."""
    if text.startswith("@"):
        return research.get(text[1:]).sql
    if text.endswith(".sql") and Path(text).is_file():
        return Path(text).read_text(encoding="utf-8")
    return text


def sql_command(args: argparse.Namespace) -> int:
    """Run SQL (or ``@query_name``) against the warehouse and print a readable table."""
    try:
        sql = _resolve_query(args.query)
    except KeyError as err:
        print(f"gongkai sql: {err.args[0]}", file=sys.stderr)
        return 2
    target, conn = _open(args, "sql")
    if target is None or conn is None:
        return 1
    try:
        conn.create_function("zh_segment", search.segment_query, [str], str)
        cur = conn.execute(sql)
        if cur.description is None:
            print("ok")
            return 0
        columns = [d[0] for d in cur.description]
        rows = cur.fetchmany(MAX_ROWS + 1)
    except duckdb.Error as err:
        print(f"gongkai sql: {_one_line(err)}", file=sys.stderr)
        return 1
    finally:
        conn.close()
    shown = rows[:MAX_ROWS]
    print(format_table(columns, shown))
    more = " (more not shown; add LIMIT or export)" if len(rows) > MAX_ROWS else ""
    print(f"({len(shown)} row{'s' if len(shown) != 1 else ''}){more}")
    return 0


def export_command(args: argparse.Namespace) -> int:
    """Write every public view to ``args.out`` as ``<view>.parquet`` or ``<view>.csv``."""
    fmt = args.format
    if fmt not in ("parquet", "csv"):
        print(f"gongkai export: unknown format {fmt!r} (parquet or csv)", file=sys.stderr)
        return 2
    target, conn = _open(args, "export")
    if target is None or conn is None:
        return 1
    out = Path(args.out)
    try:
        out.mkdir(parents=True, exist_ok=True)
        options = "FORMAT parquet" if fmt == "parquet" else "FORMAT csv, HEADER true"
        from runner.progress import progress

        for view in progress(PUBLIC_VIEWS, label="export"):
            path = out / f"{view}.{fmt}"
            row = conn.execute(f"SELECT count(*) FROM {view}").fetchone()
            n = row[0] if row else 0
            conn.execute(f"COPY (SELECT * FROM {view}) TO '{str(path).replace(chr(39), chr(39) * 2)}' ({options})")
            print(f"exported {view}: {n} rows -> {path}", flush=True)
    except (duckdb.Error, OSError) as err:
        print(f"gongkai export: {_one_line(err)}", file=sys.stderr)
        return 1
    finally:
        conn.close()
    print(f"exported {len(PUBLIC_VIEWS)} views from {target.describe()} to {out}")
    return 0


def search_command(args: argparse.Namespace) -> int:
    """Full-text search of the reports' section texts (Chinese segmented with jieba)."""
    from warehouse.search import search
    from warehouse.table_format import format_table

    target, conn = _open(args, "search")
    if target is None or conn is None:
        return 1
    try:
        hits = search(conn, args.query, limit=args.limit, lake=target.kind == "ducklake")
    except duckdb.Error as err:
        print(f"gongkai search: {_one_line(err)}", file=sys.stderr)
        return 1
    finally:
        conn.close()
    rows = [(h.org_name, h.report_year, h.section_key, round(h.score, 3), h.snippet) for h in hits]
    print(format_table(["org_name", "report_year", "section", "score", "snippet"], rows))
    print(f"({len(rows)} {'row' if len(rows) == 1 else 'rows'})")
    return 0
