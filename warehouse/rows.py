"""Turn the on-disk contracts (sources, fetches.jsonl, documents.jsonl, parse results) into table rows.

Bad input never stops a load: a line that cannot be used is reported in ``problems``; a record that
breaks the contract becomes a failed parse (``error_kind='invalid_record'``) so it is listed for retry.
"""

from __future__ import annotations

import hashlib
import math
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Callable, Collection, Iterable, Mapping

import orjson

from pipeline.record import CELL_STATUSES, CHECK_RESULTS
from warehouse import agencies, search

SECTION_KEYS = ("sec1_overview", "sec5_problems", "sec6_other")


class InvalidRecord(ValueError):
    """A parse result whose record does not follow the output contract."""


class Columns:
    """A table built column by column: the cells and the search terms, most of a load's rows.

    One dict per row, then ``pa.Table.from_pylist`` looking every key up again, was two thirds of
    loading a 10,000-report run (docs/benchmarks.md); lists per column go to Arrow whole."""

    __slots__ = ("data",)

    def __init__(self, names: Iterable[str]):
        self.data: dict[str, list[Any]] = {n: [] for n in names}

    def __len__(self) -> int:
        return len(next(iter(self.data.values()), ()))

    def extend(self, other: Columns) -> None:
        for name, values in other.data.items():
            self.data[name].extend(values)

    def rows(self) -> list[dict[str, Any]]:
        """The rows as dicts (tests, inspection; the load never needs them)."""
        names = list(self.data)
        return [dict(zip(names, values)) for values in zip(*self.data.values())]


Table = list[dict[str, Any]] | Columns


@dataclass
class RunRows:
    """Rows for every staged table, plus what could not be used."""

    tables: dict[str, Table] = field(default_factory=dict[str, Any])
    problems: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)  # sha256 of failed or rejected parses
    invalid: int = 0
    present: list[str] = field(default_factory=list)  # report ids already in the warehouse: no rows built

    def listed(self, table: str) -> list[dict[str, Any]]:
        """A table built row by row (every one but the cells and the search terms)."""
        rows = self.tables.get(table, [])
        if not isinstance(rows, list):
            raise TypeError(f"{table} is built column by column")
        return rows

    def add(self, table: str, row: dict[str, Any]) -> None:
        rows = self.tables.setdefault(table, [])
        assert isinstance(rows, list)  # the column-built tables come whole from report_rows
        rows.append(row)


def key_hash(*parts: Any) -> str:
    return hashlib.sha256("\x1f".join("" if p is None else str(p) for p in parts).encode()).hexdigest()[:32]


def report_id(sha256: str, parser_version: str) -> str:
    return f"{sha256}:{parser_version}"


def timestamp(value: Any) -> datetime | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=timezone.utc)
    parsed = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)


def _int(value: Any) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ValueError(f"{value!r} is not an integer")
    return int(value)


def _strs(value: Any) -> list[str] | None:
    if value is None:
        return None
    if isinstance(value, str):
        return [value]
    return [str(v) for v in value]


_JSON_OPTS = orjson.OPT_SORT_KEYS | orjson.OPT_NON_STR_KEYS


def _json(value: Any) -> str | None:
    # orjson: ~10× json.dumps on the records and cell locators (JSON is most of a load's Python work)
    return None if value is None else orjson.dumps(value, option=_JSON_OPTS).decode()


def source_row(src: Mapping[str, Any], run_id: str) -> dict[str, Any]:
    sid = src.get("id") or src.get("source_id")
    if not sid:
        raise ValueError("source without an id")
    years = src.get("years")
    return {
        "source_id": str(sid),
        "name": src.get("name"),
        "region": None if src.get("region") is None else str(src.get("region")),
        "cms": src.get("cms"),
        "start_urls": _strs(src.get("start_urls")),
        "allowed_domains": _strs(src.get("allowed_domains")),
        "years": [int(y) for y in years] if years else None,
        "config": _json({k: v for k, v in src.items() if k != "run"}),
        "last_run_id": run_id,
    }


def fetch_row(f: Mapping[str, Any], run_id: str) -> dict[str, Any]:
    if not f.get("url"):
        raise ValueError("fetch without a url")
    fetched_at = timestamp(f.get("fetched_at"))
    run = f.get("run_id") or run_id
    return {
        "fetch_id": key_hash(
            run, f.get("source_id"), f["url"], f.get("fetched_at"), f.get("kind"), f.get("outcome"), f.get("sha256")
        ),
        "run_id": run,
        "source_id": f.get("source_id"),
        "url": f["url"],
        "final_url": f.get("final_url"),
        "redirect_chain": _strs(f.get("redirect_chain")),
        "method": f.get("method"),
        "http_status": _int(f.get("http_status")),
        "fetched_at": fetched_at,
        "sha256": f.get("sha256"),
        "size": _int(f.get("size")),
        "content_type": f.get("content_type"),
        "etag": f.get("etag"),
        "last_modified": f.get("last_modified"),
        "content_disposition": f.get("content_disposition"),
        "encoding": f.get("encoding"),
        "meta": _json(f.get("meta")),
        "outcome": f.get("outcome"),
        "reason": f.get("reason"),
        "kind": f.get("kind"),
        "referer": f.get("referer"),
    }


def document_row(d: Mapping[str, Any], run_id: str) -> dict[str, Any]:
    if not d.get("sha256"):
        raise ValueError("document without a sha256")
    run = d.get("run_id") or run_id
    return {
        "document_id": key_hash(run, d.get("source_id"), d["sha256"], d.get("document_url")),
        "run_id": run,
        "source_id": d.get("source_id"),
        "sha256": d["sha256"],
        "format": d.get("format"),
        "document_url": d.get("document_url"),
        "page_url": d.get("page_url"),
        "title": d.get("title"),
        "year_hint": _int(d.get("year_hint")),
        "fetched_at": timestamp(d.get("fetched_at")),
        "store_path": d.get("store_path"),
        "role": d.get("role"),
        "filename": d.get("filename"),
    }


def _number(where: str, value: Any) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise InvalidRecord(f"{where} is {value!r}, not a number")
    if isinstance(value, float) and not math.isfinite(value):
        raise InvalidRecord(f"{where} is {value!r}")
    return float(value)


CELL_COLUMNS = ("report_id", "cell_key", "value", "status", "raw", "locator", "rule", "confidence", "ocr", "suspect")


def _cell_rows(rid: str, cells: Any) -> Columns:
    """The cells of a report, column by column: each column one comprehension over the cells and
    each rule one pass over a column (a Python loop doing all of it per cell was a third of loading
    a nationwide run); ``_bad_cell`` names the first offending cell when a rule fails."""
    if not isinstance(cells, Mapping):
        raise InvalidRecord("cells is not an object")
    keys = [str(k) for k in cells]
    given = list(cells.values())
    if not all(type(c) is dict or isinstance(c, Mapping) for c in given):  # the ABC check is slow; records are dicts
        raise _bad_cell(keys, given)
    statuses = [c.get("status") for c in given]
    values = [c.get("value") for c in given]
    confidences = [c.get("confidence") for c in given]
    if (
        not _STATUSES.issuperset(statuses)
        or not all(_NUMBERS.issuperset(map(type, column)) for column in (values, confidences))
        or any((s == "missing") != (v is None) for s, v in zip(statuses, values))
        or not all(map(_finite, values))
        or not all(map(_finite, confidences))
    ):
        raise _bad_cell(keys, given)
    raws = [c.get("raw") for c in given]
    suspects = [c.get("suspect") for c in given]
    out = Columns(CELL_COLUMNS)
    out.data.update(
        report_id=[rid] * len(keys),
        cell_key=keys,
        value=[None if v is None else float(v) for v in values],
        status=statuses,
        raw=[None if r is None else str(r) for r in raws],
        locator=[_json(c.get("locator")) for c in given],
        rule=[c.get("rule") for c in given],
        confidence=[None if v is None else float(v) for v in confidences],
        ocr=[bool(c.get("ocr", False)) for c in given],
        suspect=[None if x is None else str(x) for x in suspects],
    )
    return out


_STATUSES = frozenset(CELL_STATUSES)
_NUMBERS = frozenset((int, float, type(None)))  # bool is not a number here (type(), not isinstance)


def _finite(value: Any) -> bool:
    return type(value) is not float or math.isfinite(value)


def _bad_cell(keys: list[str], given: list[Any]) -> InvalidRecord:
    """What is wrong with the first cell that breaks the contract (the slow, per-cell reading)."""
    for key, cell in zip(keys, given):
        if not isinstance(cell, Mapping):
            return InvalidRecord(f"cells.{key} is not an object")
        status = cell.get("status")
        if status not in CELL_STATUSES:
            return InvalidRecord(f"cells.{key}.status is {status!r}")
        try:
            value = _number(f"cells.{key}.value", cell.get("value"))
            if status == "missing" and value is not None:
                return InvalidRecord(f"cells.{key} is missing but has a value")
            if status != "missing" and value is None:
                return InvalidRecord(f"cells.{key} is {status} without a value")
            _number(f"cells.{key}.confidence", cell.get("confidence"))
        except InvalidRecord as err:
            return err
    return InvalidRecord("cells break the contract")  # not reached: the fast checks found a cell


def _check_rows(rid: str, checks: Any) -> list[dict[str, Any]]:
    if not isinstance(checks, list):
        raise InvalidRecord("checks is not a list")
    rows = {}
    for i, c in enumerate(checks):
        if not isinstance(c, Mapping) or not c.get("rule"):
            raise InvalidRecord(f"checks[{i}] has no rule")
        if c.get("result") not in CHECK_RESULTS:
            raise InvalidRecord(f"checks[{i}].result is {c.get('result')!r}")
        rows[c["rule"]] = {
            "report_id": rid,
            "rule": c["rule"],
            "severity": c.get("severity"),
            "result": c["result"],
            "detail": c.get("detail"),
        }
    return list(rows.values())


def _narrative_rows(rid: str, narrative: Any) -> list[dict[str, Any]]:
    if not isinstance(narrative, Mapping):
        return []
    rows = []
    for key, fig in narrative.items():
        fig = fig if isinstance(fig, Mapping) else {"value": fig}
        raw = fig.get("raw")
        rows.append(
            {
                "report_id": rid,
                "figure_key": str(key),
                "value": _number(f"narrative.{key}.value", fig.get("value")),
                "raw": None if raw is None else str(raw),
                "approx": bool(fig.get("approx", False)),
            }
        )
    return rows


def _section_rows(rid: str, sections: Any) -> list[dict[str, Any]]:
    rows = []
    for key, text in (sections or {}).items():
        if not isinstance(text, str) or not text.strip():
            continue
        rows.append(
            {
                "section_id": f"{rid}#{key}",
                "report_id": rid,
                "section_key": str(key),
                "text": text,
                "tokens": search.segment_for_index(text),
            }
        )
    return rows


def _term_rows(sections: list[dict[str, Any]]) -> Columns:
    """The search index rows of these sections: each term with its count (warehouse/search.py)."""
    out = Columns(("report_id", "section_id", "term", "tf"))
    col = out.data
    for s in sections:
        counts = Counter(s["tokens"].lower().split())
        col["report_id"].extend([s["report_id"]] * len(counts))
        col["section_id"].extend([s["section_id"]] * len(counts))
        col["term"].extend(counts.keys())
        col["tf"].extend(counts.values())
    return out


def report_rows(
    result: Mapping[str, Any],
    *,
    run_id: str,
    loaded_at: datetime,
    document: Mapping[str, Any] | None,
    source: Mapping[str, Any] | None,
) -> dict[str, Table]:
    """The rows of one successful parse (all or nothing): report, agency, cells, checks, narrative, sections."""
    record = result.get("record")
    if not isinstance(record, Mapping):
        raise InvalidRecord("status ok without a record")
    sha, version = result["sha256"], str(result["parser_version"])
    doc = record.get("document") or {}
    rep = record.get("report")
    if not isinstance(rep, Mapping):
        raise InvalidRecord("record has no report object")
    if doc.get("sha256") and doc["sha256"] != sha:
        raise InvalidRecord(f"record.document.sha256 {doc['sha256'][:12]}… is not the result's {sha[:12]}…")
    rid = report_id(sha, version)
    try:
        year = _int(rep.get("report_year"))
        pages = _int(doc.get("pages"))
        size = _int(doc.get("size"))
    except (TypeError, ValueError) as err:
        raise InvalidRecord(f"report_year/pages/size: {err}") from err
    region = rep.get("region") if isinstance(rep.get("region"), Mapping) else None
    agency, _ = agencies.identify(
        org_name=rep.get("org_name"),
        title=rep.get("title"),
        source_id=(document or {}).get("source_id"),
        source_region=(source or {}).get("region"),
        record_region=region,
    )
    sections = _section_rows(rid, record.get("sections"))
    tables: dict[str, Table] = {
        "reports": [
            {
                "report_id": rid,
                "document_sha256": sha,
                "parser_version": version,
                "title": rep.get("title"),
                "org_name": rep.get("org_name"),
                "report_year": year,
                "template": rep.get("template"),
                "sec2_variant": rep.get("sec2_variant"),
                "sec3_variant": rep.get("sec3_variant"),
                "stat_period": rep.get("stat_period"),
                "doc_format": doc.get("format"),
                "converter": doc.get("converter"),
                "pages": pages,
                "size": size,
                "record_region": _json(region),
                "agency_id": agency.agency_id if agency else None,
                "warnings": [str(w) for w in record.get("warnings") or []],
                "record": _json(dict(record)),
                "run_id": run_id,
                "loaded_at": loaded_at,
            }
        ],
        "cells": _cell_rows(rid, record.get("cells", {})),
        "checks": _check_rows(rid, record.get("checks", [])),
        "narrative": _narrative_rows(rid, record.get("narrative")),
        "sections": sections,
        "section_terms": _term_rows(sections),
        "agencies": []
        if agency is None
        else [
            {
                "agency_id": agency.agency_id,
                "name": agency.name,
                "base_name": agency.base_name,
                "adcode": agency.adcode,
                "resolved_from": agency.resolved_from,
                "source_id": agency.source_id,
            }
        ],
    }
    return tables


def _first_line(text: Any) -> str | None:
    if text is None:
        return None
    lines = str(text).strip().splitlines()
    return lines[0] if lines else ""


def _usable(
    kind: str, items: Iterable[Any], make: Callable[..., dict[str, Any]], run_id: str, problems: list[str]
) -> list[tuple[Mapping[str, Any], dict[str, Any]]]:
    """(input, row) for every item ``make`` accepts; the others become one-line problems."""
    out = []
    for i, item in enumerate(items or ()):
        try:
            if not isinstance(item, Mapping):
                raise ValueError("not an object")
            out.append((item, make(item, run_id)))
        except (TypeError, ValueError) as err:
            problems.append(f"{kind}[{i}]: {err}")
    return out


def _add_sources(
    out: RunRows,
    sources: Iterable[Mapping[str, Any]],
    run_id: str,
    loaded_at: datetime,
    registry: Mapping[str, Mapping[str, Any]] | None,
) -> dict[str, Mapping[str, Any]]:
    """The run's ``sources`` and ``source_runs`` rows; returns every known source by id (the
    registry's, updated with this run's)."""
    src_by_id: dict[str, Mapping[str, Any]] = dict(registry or {})
    for src, row in _usable("sources", sources, source_row, run_id, out.problems):
        known = src_by_id.get(row["source_id"], {})
        src_by_id[row["source_id"]] = {**known, **{k: v for k, v in src.items() if v is not None}}
        out.add("sources", row)
        if isinstance(src.get("run"), Mapping):  # how the source ended in this run
            o = src["run"]
            out.add(
                "source_runs",
                {
                    "run_id": run_id,
                    "source_id": row["source_id"],
                    "outcome": o.get("outcome"),
                    "reason": _first_line(o.get("reason")),
                    "n_documents": _int(o.get("n_documents")),
                    "loaded_at": loaded_at,
                },
            )
    return src_by_id


def _report_tables(
    out: RunRows,
    res: Mapping[str, Any],
    doc: Mapping[str, Any] | None,
    source: Mapping[str, Any] | None,
    run_id: str,
    loaded_at: datetime,
) -> str | None:
    """A successful result's report rows added to ``out``; the error when the warehouse rejects the
    record (it then counts as a failed parse)."""
    try:
        tables = report_rows(res, run_id=run_id, loaded_at=loaded_at, document=doc, source=source)
    except InvalidRecord as err:
        out.invalid += 1
        return f"record rejected by the warehouse: {err}"
    for table, rows in tables.items():
        have = out.tables.get(table)
        if have is None:
            out.tables[table] = rows
        elif isinstance(have, Columns) and isinstance(rows, Columns):
            have.extend(rows)
        elif isinstance(have, list) and isinstance(rows, list):
            have.extend(rows)
    return None


def _add_results(
    out: RunRows,
    results: Iterable[Mapping[str, Any]],
    docs_by_sha: Mapping[str, Mapping[str, Any]],
    src_by_id: Mapping[str, Mapping[str, Any]],
    run_id: str,
    loaded_at: datetime,
    present: Collection[str],
) -> None:
    """A ``parse_results`` row per result, and the report rows of each successful one not ``present``."""
    results_seen: dict[str, dict[str, Any]] = {}
    for i, res in enumerate(results):
        if not isinstance(res, Mapping):
            out.problems.append(f"results[{i}]: not an object")
            continue
        sha, version = res.get("sha256"), res.get("parser_version")
        if not sha or not version:
            out.problems.append(f"results[{i}]: no sha256 or parser_version")
            continue
        status, error, kind = res.get("status"), res.get("error"), res.get("error_kind")
        rid = report_id(sha, str(version))
        if rid in results_seen:
            out.problems.append(f"results[{i}]: {rid} given twice; the first is kept")
            continue
        if status == "ok" and rid in present:
            out.present.append(rid)
        elif status == "ok":
            doc = docs_by_sha.get(sha)
            source_id = (doc or {}).get("source_id")
            source = src_by_id.get(source_id) if source_id is not None else None
            rejected = _report_tables(out, res, doc, source, run_id, loaded_at)
            if rejected is not None:
                status, error, kind = "failed", rejected, "invalid_record"
        elif status != "failed":
            status, error, kind = "failed", f"unknown parse status {status!r}", "invalid_record"
            out.invalid += 1
        if status == "failed":
            out.failed.append(sha)
        results_seen[rid] = {
            "result_id": rid,
            "sha256": sha,
            "parser_version": str(version),
            "status": status,
            "error": _first_line(error),
            "error_kind": kind,
            "run_id": run_id,
            "loaded_at": loaded_at,
        }
    out.tables["parse_results"] = list(results_seen.values())


def build(
    *,
    run_id: str,
    sources: Iterable[Mapping[str, Any]],
    fetches: Iterable[Mapping[str, Any]],
    documents: Iterable[Mapping[str, Any]],
    results: Iterable[Mapping[str, Any]],
    loaded_at: datetime,
    registry: Mapping[str, Mapping[str, Any]] | None = None,
    sightings: Mapping[str, Mapping[str, Any]] | None = None,
    present: Collection[str] = (),
) -> RunRows:
    """All rows of a run. ``registry`` (source id → source) and ``sightings`` (sha256 → document row)
    come from earlier loads, so a retried parse resolves its agency exactly as the first load did.
    ``present``: report ids the warehouse already holds; a successful result with such an id gets its
    ``parse_results`` row only (a report id is the document's sha256 and the parser version, so its
    rows would be the same: no segmenting, no JSON, no re-indexing for them)."""
    out = RunRows()
    src_by_id = _add_sources(out, sources, run_id, loaded_at, registry)
    out.tables["fetches"] = list(
        {row["fetch_id"]: row for _, row in _usable("fetches", fetches, fetch_row, run_id, out.problems)}.values()
    )
    docs = _usable("documents", documents, document_row, run_id, out.problems)
    out.tables["documents"] = list({row["document_id"]: row for _, row in docs}.values())
    docs_by_sha: dict[str, Mapping[str, Any]] = dict(sightings or {})
    for _, row in docs:
        docs_by_sha.setdefault(row["sha256"], row)
    _add_results(out, results, docs_by_sha, src_by_id, run_id, loaded_at, present)
    # one agency row per id (the first report that named it wins within a run)
    agencies_rows: dict[str, dict[str, Any]] = {}
    for row in out.listed("agencies"):
        agencies_rows.setdefault(row["agency_id"], row)
    out.tables["agencies"] = list(agencies_rows.values())
    return out
