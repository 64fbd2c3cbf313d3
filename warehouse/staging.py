"""Stage a run as Parquet files (one per table), then write them into the warehouse in one transaction."""

from __future__ import annotations

from collections.abc import Mapping

from dataclasses import dataclass
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from warehouse.rows import Columns, Table

S, I, B, D, TS = pa.string(), pa.int32(), pa.int64(), pa.float64(), pa.timestamp("us", tz="UTC")
LS, LI = pa.list_(pa.string()), pa.list_(pa.int32())

# staged columns per table (the same names and types as warehouse/migrations/001_core_tables.sql;
# JSON columns travel as strings)
COLUMNS: dict[str, list[tuple[str, pa.DataType]]] = {
    "sources": [
        ("source_id", S),
        ("name", S),
        ("region", S),
        ("cms", S),
        ("start_urls", LS),
        ("allowed_domains", LS),
        ("years", LI),
        ("config", S),
        ("last_run_id", S),
    ],
    "fetches": [
        ("fetch_id", S),
        ("run_id", S),
        ("source_id", S),
        ("url", S),
        ("final_url", S),
        ("redirect_chain", LS),
        ("method", S),
        ("http_status", I),
        ("fetched_at", TS),
        ("sha256", S),
        ("size", B),
        ("content_type", S),
        ("etag", S),
        ("last_modified", S),
        ("content_disposition", S),
        ("encoding", S),
        ("meta", S),
        ("outcome", S),
        ("reason", S),
        ("kind", S),
        ("referer", S),
    ],
    "documents": [
        ("document_id", S),
        ("run_id", S),
        ("source_id", S),
        ("sha256", S),
        ("format", S),
        ("document_url", S),
        ("page_url", S),
        ("title", S),
        ("year_hint", I),
        ("fetched_at", TS),
        ("store_path", S),
        ("role", S),
        ("filename", S),
    ],
    "parse_results": [
        ("result_id", S),
        ("sha256", S),
        ("parser_version", S),
        ("status", S),
        ("error", S),
        ("error_kind", S),
        ("run_id", S),
        ("loaded_at", TS),
    ],
    "agencies": [
        ("agency_id", S),
        ("name", S),
        ("base_name", S),
        ("adcode", S),
        ("resolved_from", S),
        ("source_id", S),
    ],
    "reports": [
        ("report_id", S),
        ("document_sha256", S),
        ("parser_version", S),
        ("title", S),
        ("org_name", S),
        ("report_year", I),
        ("template", S),
        ("sec2_variant", S),
        ("sec3_variant", S),
        ("stat_period", S),
        ("doc_format", S),
        ("converter", S),
        ("pages", I),
        ("size", B),
        ("record_region", S),
        ("agency_id", S),
        ("warnings", LS),
        ("record", S),
        ("run_id", S),
        ("loaded_at", TS),
    ],
    "cells": [
        ("report_id", S),
        ("cell_key", S),
        ("value", D),
        ("status", S),
        ("raw", S),
        ("locator", S),
        ("rule", S),
        ("confidence", D),
        ("ocr", pa.bool_()),
        ("suspect", S),
    ],
    "checks": [("report_id", S), ("rule", S), ("severity", S), ("result", S), ("detail", S)],
    "narrative": [("report_id", S), ("figure_key", S), ("value", D), ("raw", S), ("approx", pa.bool_())],
    "sections": [("section_id", S), ("report_id", S), ("section_key", S), ("text", S), ("tokens", S)],
    "source_runs": [
        ("run_id", S),
        ("source_id", S),
        ("outcome", S),
        ("reason", S),
        ("n_documents", I),
        ("loaded_at", TS),
    ],
    "section_terms": [("report_id", S), ("section_id", S), ("term", S), ("tf", I)],
    "runs": [
        ("run_id", S),
        ("loaded_at", TS),
        ("n_sources", I),
        ("n_fetches", I),
        ("n_documents", I),
        ("n_results", I),
        ("n_reports", I),
        ("n_failed", I),
    ],
}

MERGE_KEYS: dict[str, tuple[str, ...]] = {
    "sources": ("source_id",),
    "fetches": ("fetch_id",),
    "documents": ("document_id",),
    "parse_results": ("result_id",),
    "agencies": ("agency_id",),
    "reports": ("report_id",),
    "cells": ("report_id", "cell_key"),
    "checks": ("report_id", "rule"),
    "narrative": ("report_id", "figure_key"),
    "sections": ("section_id",),
    "section_terms": ("section_id", "term"),
    "runs": ("run_id",),
    "source_runs": ("run_id", "source_id"),
}
# a report's rows (section_terms: the search index, warehouse/search.py): written with the report, once
CHILDREN = ("cells", "checks", "narrative", "sections", "section_terms")
ORDER = ("sources", "fetches", "documents", "parse_results", "agencies", "reports", *CHILDREN, "source_runs", "runs")
# columns a MERGE leaves alone on rows that exist (the first naming of an agency stays)
KEEP_ON_UPDATE = {"agencies": ("name", "source_id")}
# tables whose NULLs on update keep the stored value (a run that only knows a source's id keeps its registry entry)
COALESCE_ON_UPDATE = ("sources",)


@dataclass(frozen=True, slots=True)
class Staged:
    run_id: str
    directory: Path | None  # where the Parquet copies are, when asked for (``staging_dir``)
    tables: dict[str, pa.Table]
    counts: dict[str, int]
    failed: int = 0  # parse results staged with a status other than ok

    @property
    def files(self) -> dict[str, Path]:
        return {name: self.directory / f"{name}.parquet" for name in ORDER} if self.directory else {}


def stage(run_id: str, tables: Mapping[str, Table], directory: Path | None = None) -> Staged:
    """One Arrow table per warehouse table (every table, empty ones too), and a Parquet copy of each
    under ``directory`` when one is given (to inspect or to load elsewhere)."""
    arrow, counts = {}, {}
    for name in ORDER:
        schema = pa.schema(COLUMNS[name])
        rows = tables.get(name, [])
        if isinstance(rows, Columns):  # built column by column: whole columns to Arrow
            arrow[name] = pa.Table.from_pydict({c: rows.data[c] for c in schema.names}, schema=schema)
        else:
            arrow[name] = pa.Table.from_pylist(rows, schema=schema)  # takes the schema's keys, None when missing
        counts[name] = len(rows)
    if directory is not None:
        directory.mkdir(parents=True, exist_ok=True)
        for name, table in arrow.items():
            pq.write_table(table, directory / f"{name}.parquet")
    results = tables.get("parse_results", [])
    failed = sum(r.get("status") != "ok" for r in results) if isinstance(results, list) else 0
    return Staged(run_id, directory, arrow, counts, failed)


def _src(name: str) -> str:
    return f"_staged_{name}"  # the Arrow table registered on the connection by ``merge``


def _merge_sql(name: str) -> str:
    cols = [c for c, _ in COLUMNS[name]]
    keys = MERGE_KEYS[name]
    on = " AND ".join(f"t.{k} IS NOT DISTINCT FROM s.{k}" for k in keys)
    update = [c for c in cols if c not in keys and c not in KEEP_ON_UPDATE.get(name, ())]
    if name in COALESCE_ON_UPDATE:
        sets = ", ".join(f"{c} = coalesce(s.{c}, t.{c})" for c in update)
    else:
        sets = ", ".join(f"{c} = s.{c}" for c in update)
    return (
        f"MERGE INTO core.{name} AS t USING {_src(name)} AS s ON {on} "
        f"WHEN MATCHED THEN UPDATE SET {sets} "
        f"WHEN NOT MATCHED THEN INSERT ({', '.join(cols)}) VALUES ({', '.join('s.' + c for c in cols)})"
    )


def merge(conn: duckdb.DuckDBPyConnection, staged: Staged) -> None:
    """Write every staged table (call inside a transaction): MERGE by key, except reports and their
    children, which go in by a plain INSERT (the bulk of the rows, at insert speed). A report id is
    the document's sha256 and the parser version, so a report the warehouse already holds has the
    same rows: it is left as it is (``loader.load_run`` does not even build them; here are the ones
    another writer committed since it looked). A result that failed this time drops the report of
    its id, children and all."""
    tables = dict(staged.tables)
    try:
        for name, table in tables.items():
            conn.register(_src(name), table)
        present = _present(conn) if staged.counts["reports"] else set()
        if present:
            for name in ("reports", *CHILDREN):
                kept = tables[name].filter(pc.invert(pc.is_in(tables[name]["report_id"], pa.array(sorted(present)))))
                conn.unregister(_src(name))
                conn.register(_src(name), kept)
        _merge(conn, staged)
    finally:
        for name in tables:
            conn.unregister(_src(name))


def _present(conn: duckdb.DuckDBPyConnection) -> set[str]:
    sql = f"SELECT report_id FROM {_src('reports')} WHERE report_id IN (SELECT report_id FROM core.reports)"
    return {r[0] for r in conn.execute(sql).fetchall()}


def _insert(conn: duckdb.DuckDBPyConnection, name: str) -> None:
    cols = ", ".join(c for c, _ in COLUMNS[name])
    conn.execute(f"INSERT INTO core.{name} ({cols}) SELECT {cols} FROM {_src(name)}")


def _merge(conn: duckdb.DuckDBPyConnection, staged: Staged) -> None:
    if staged.failed:  # a result that failed this time drops whatever report the same id had
        failed = f"(SELECT result_id FROM {_src('parse_results')} WHERE status <> 'ok')"
        for name in ("reports", *CHILDREN):
            conn.execute(f"DELETE FROM core.{name} WHERE report_id IN {failed}")
    for name in ORDER:
        if not staged.counts[name]:
            continue
        if name == "reports" or name in CHILDREN:
            _insert(conn, name)
        else:
            conn.execute(_merge_sql(name))
