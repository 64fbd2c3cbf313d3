"""Stage a run as Parquet files (one per table), then MERGE them into the warehouse in one transaction."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

S, I, B, D, TS = pa.string(), pa.int32(), pa.int64(), pa.float64(), pa.timestamp("us", tz="UTC")
LS, LI = pa.list_(pa.string()), pa.list_(pa.int32())

# staged columns per table (the same names and types as warehouse/migrations/001_core_tables.sql;
# JSON columns travel as strings)
COLUMNS: dict[str, list[tuple[str, pa.DataType]]] = {
    "sources": [("source_id", S), ("name", S), ("region", S), ("cms", S), ("start_urls", LS),
                ("allowed_domains", LS), ("years", LI), ("config", S), ("last_run_id", S)],
    "fetches": [("fetch_id", S), ("run_id", S), ("source_id", S), ("url", S), ("final_url", S),
                ("redirect_chain", LS), ("method", S), ("http_status", I), ("fetched_at", TS), ("sha256", S),
                ("size", B), ("content_type", S), ("etag", S), ("last_modified", S),
                ("content_disposition", S), ("encoding", S), ("meta", S), ("outcome", S), ("reason", S),
                ("kind", S), ("referer", S)],
    "documents": [("document_id", S), ("run_id", S), ("source_id", S), ("sha256", S), ("format", S),
                  ("document_url", S), ("page_url", S), ("title", S), ("year_hint", I), ("fetched_at", TS),
                  ("store_path", S), ("role", S), ("filename", S)],
    "parse_results": [("result_id", S), ("sha256", S), ("parser_version", S), ("status", S), ("error", S),
                      ("error_kind", S), ("run_id", S), ("loaded_at", TS)],
    "agencies": [("agency_id", S), ("name", S), ("base_name", S), ("adcode", S), ("resolved_from", S),
                 ("source_id", S)],
    "reports": [("report_id", S), ("document_sha256", S), ("parser_version", S), ("title", S), ("org_name", S),
                ("report_year", I), ("template", S), ("sec2_variant", S), ("sec3_variant", S),
                ("stat_period", S), ("doc_format", S), ("converter", S), ("pages", I), ("size", B),
                ("record_region", S), ("agency_id", S), ("warnings", LS), ("record", S), ("run_id", S),
                ("loaded_at", TS)],
    "cells": [("report_id", S), ("cell_key", S), ("value", D), ("status", S), ("raw", S), ("locator", S),
              ("rule", S), ("confidence", D), ("ocr", pa.bool_()), ("suspect", S)],
    "checks": [("report_id", S), ("rule", S), ("severity", S), ("result", S), ("detail", S)],
    "narrative": [("report_id", S), ("figure_key", S), ("value", D), ("raw", S), ("approx", pa.bool_())],
    "sections": [("section_id", S), ("report_id", S), ("section_key", S), ("text", S), ("tokens", S)],
    "runs": [("run_id", S), ("loaded_at", TS), ("n_sources", I), ("n_fetches", I), ("n_documents", I),
             ("n_results", I), ("n_reports", I), ("n_failed", I)],
}

MERGE_KEYS: dict[str, tuple[str, ...]] = {
    "sources": ("source_id",), "fetches": ("fetch_id",), "documents": ("document_id",),
    "parse_results": ("result_id",), "agencies": ("agency_id",), "reports": ("report_id",),
    "cells": ("report_id", "cell_key"), "checks": ("report_id", "rule"),
    "narrative": ("report_id", "figure_key"), "sections": ("section_id",), "runs": ("run_id",),
}
CHILDREN = ("cells", "checks", "narrative", "sections")  # replaced whole for every staged report
ORDER = ("sources", "fetches", "documents", "parse_results", "agencies", "reports", *CHILDREN, "runs")
# columns a MERGE leaves alone on rows that exist (the first naming of an agency stays)
KEEP_ON_UPDATE = {"agencies": ("name", "source_id")}
# tables whose NULLs on update keep the stored value (a run that only knows a source's id keeps its registry entry)
COALESCE_ON_UPDATE = ("sources",)


@dataclass(frozen=True, slots=True)
class Staged:
    run_id: str
    directory: Path
    files: dict[str, Path]
    counts: dict[str, int]


def stage(run_id: str, tables: dict[str, list[dict]], directory: Path) -> Staged:
    """Write one Parquet file per table (every table, empty ones too)."""
    directory.mkdir(parents=True, exist_ok=True)
    files, counts = {}, {}
    for name in ORDER:
        schema = pa.schema(COLUMNS[name])
        rows = tables.get(name, [])
        table = pa.Table.from_pylist([{c: r.get(c) for c in schema.names} for r in rows], schema=schema)
        path = directory / f"{name}.parquet"
        pq.write_table(table, path)
        files[name], counts[name] = path, len(rows)
    return Staged(run_id, directory, files, counts)


def _src(path: Path) -> str:
    return "read_parquet('" + str(path).replace("'", "''") + "')"


def _merge_sql(name: str, path: Path) -> str:
    cols = [c for c, _ in COLUMNS[name]]
    keys = MERGE_KEYS[name]
    on = " AND ".join(f"t.{k} IS NOT DISTINCT FROM s.{k}" for k in keys)
    update = [c for c in cols if c not in keys and c not in KEEP_ON_UPDATE.get(name, ())]
    if name in COALESCE_ON_UPDATE:
        sets = ", ".join(f"{c} = coalesce(s.{c}, t.{c})" for c in update)
    else:
        sets = ", ".join(f"{c} = s.{c}" for c in update)
    return (f"MERGE INTO core.{name} AS t USING {_src(path)} AS s ON {on} "
            f"WHEN MATCHED THEN UPDATE SET {sets} "
            f"WHEN NOT MATCHED THEN INSERT ({', '.join(cols)}) VALUES ({', '.join('s.' + c for c in cols)})")


def merge(conn: duckdb.DuckDBPyConnection, staged: Staged) -> None:
    """MERGE every staged table (call inside a transaction)."""
    reports, results = _src(staged.files["reports"]), _src(staged.files["parse_results"])
    # a result that failed this time drops whatever report the same id had
    failed = f"(SELECT result_id FROM {results} WHERE status <> 'ok')"
    for name in ("reports", *CHILDREN):
        conn.execute(f"DELETE FROM core.{name} WHERE report_id IN {failed}")
    for name in ORDER:
        if staged.counts[name] == 0:
            continue
        if name in CHILDREN:
            keys = MERGE_KEYS[name]
            match = " AND ".join(f"s.{k} = core.{name}.{k}" for k in keys)
            conn.execute(f"DELETE FROM core.{name} WHERE report_id IN (SELECT report_id FROM {reports}) "
                         f"AND NOT EXISTS (SELECT 1 FROM {_src(staged.files[name])} s WHERE {match})")
        conn.execute(_merge_sql(name, staged.files[name]))
    if staged.counts["reports"]:
        for name in CHILDREN:
            if staged.counts[name] == 0:
                conn.execute(f"DELETE FROM core.{name} WHERE report_id IN (SELECT report_id FROM {reports})")
