"""The per-report payload of the drill-down: every report's cells, checks and links, compactly.

One entry per report of the ``reports`` view (short keys, documented in ``docs/quality-report.md``):
cell values, status letters and locators are arrays in the order of the report's layout keys
(``layouts.layout``), so a report of 200 cells costs a few kilobytes of JSON.
"""

from __future__ import annotations

import json
import math
from collections import defaultdict
from dataclasses import dataclass

import duckdb

from gongkai.report import layouts

STATUS_CODES = {"read": "r", "imputed": "i", "missing": "m"}
ABSENT = "-"  # the template has the cell, the report does not
OTHER = "?"  # a status outside the contract (the loader rejects those; shown if one slips through)


def number(value: float | None) -> int | float | str | None:
    """A cell value as JSON: 12.0 → 12, 7.52 → 7.52, None stays None (blank, never 0).

    A non-finite double (JSON has none) is kept visible as its text, ``"nan"`` or ``"inf"``.
    """
    if value is None:
        return None
    value = float(value)
    if not math.isfinite(value):
        return str(value)
    if value.is_integer() and abs(value) < 2**53:
        return int(value)
    return round(value, 6)


def shown(value: float | None) -> str:
    """How a value is printed in the drill-down (raw text is listed too when it differs)."""
    v = number(value)
    return "" if v is None else str(v)


def _coord(x) -> str:
    """A locator number: integers as they are, coordinates to 0.1 (a tenth of a PDF point)."""
    if type(x) is int:
        return str(x)
    if isinstance(x, bool) or not isinstance(x, (int, float)):
        return str(x)
    text = f"{x:.1f}"
    if text.endswith(".0"):
        text = text[:-2]
    return "0" if text == "-0" else text


def format_locator(locator) -> str:
    """``{"page": 2, "bbox": [...]}`` → ``p.2 bbox 100,700,140,708``; table/row/col and line likewise."""
    if locator is None or locator == "":
        return ""
    if isinstance(locator, str):
        try:
            locator = json.loads(locator)
        except ValueError:
            return locator
    if not isinstance(locator, dict):
        return str(locator)
    parts = []
    if "page" in locator:
        parts.append(f"p.{_coord(locator['page'])}")
    if isinstance(locator.get("bbox"), (list, tuple)):
        parts.append("bbox " + ",".join(_coord(x) for x in locator["bbox"]))
    for key in ("table", "row", "col", "line"):
        if key in locator and locator[key] is not None:
            parts.append(f"{key} {_coord(locator[key])}")
    for key in sorted(k for k in locator if k not in ("page", "bbox", "table", "row", "col", "line")):
        parts.append(f"{key}={json.dumps(locator[key], ensure_ascii=False)}")
    return " ".join(parts)


def _by_report(rows) -> dict[str, list[tuple]]:
    out: dict[str, list[tuple]] = defaultdict(list)
    for row in rows:
        out[row[0]].append(row[1:])
    return out


REPORT_SQL = """
SELECT report_id, org_name, report_year, province, city, county, region_level, source_id, template,
       sec2_variant, sec3_variant, is_primary, is_latest_parse, title, document_url, page_url, doc_format,
       pages, parser_version, converter, strftime(fetched_at AT TIME ZONE 'UTC', '%Y-%m-%dT%H:%M:%SZ'),
       warnings, n_read, n_imputed, n_missing, agency_id
FROM reports ORDER BY province NULLS LAST, org_name NULLS LAST, report_year NULLS LAST, report_id
"""


def collect_payload(conn: duckdb.DuckDBPyConnection) -> dict:
    """``{"layouts": [...], "reports": [...]}`` for every report in the warehouse."""
    reports = conn.execute(REPORT_SQL).fetchall()
    extras = _Extras.of(conn)
    layout_ids: dict[tuple[str, str], int] = {}
    layout_list: list[dict] = []
    out = []
    for row in reports:
        rid, tmpl, sec2, sec3 = row[0], row[8], row[9], row[10]
        t = layouts.template_for(sec2, sec3, tmpl)
        lay_index = None
        keys: list[str] = []
        if t is not None:
            pair = (sec2 or tmpl, sec3 or tmpl)
            if pair not in layout_ids:
                layout_ids[pair] = len(layout_list)
                layout_list.append(layouts.layout(*pair))
            lay_index = layout_ids[pair]
            keys = layout_list[lay_index]["keys"]
        entry = _entry(row, lay_index, extras.counts.get(rid, (0, 0, 0)))
        entry.update(_cells(keys, extras.cells.get(rid, [])))
        entry["F"] = [[rule, sev, detail] for rule, sev, detail in extras.failed.get(rid, [])]
        entry["XF"] = [[rule, sev, key, detail, prev] for rule, sev, key, detail, prev in extras.xfailed.get(rid, [])]
        entry["N"] = [[key, number(v), raw, bool(approx)] for key, v, raw, approx in extras.narrative.get(rid, [])]
        out.append(entry)
    return {"layouts": layout_list, "reports": out}


@dataclass(frozen=True, slots=True)
class _Extras:
    """What the payload holds of each report besides its ``reports`` row, by report id."""

    cells: dict[str, list[tuple]]
    failed: dict[str, list[tuple]]
    counts: dict[str, tuple]  # checks passed, failed, not assessable
    xfailed: dict[str, list[tuple]]
    narrative: dict[str, list[tuple]]

    @classmethod
    def of(cls, conn: duckdb.DuckDBPyConnection) -> _Extras:
        cells = _by_report(
            conn.execute(
                "SELECT report_id, cell_key, value, status, raw, CAST(locator AS VARCHAR), rule FROM cells"
            ).fetchall()
        )
        failed = _by_report(
            conn.execute("""
            SELECT report_id, rule, severity, detail FROM checks WHERE result = 'fail' ORDER BY report_id, rule
        """).fetchall()
        )
        counts = {
            r[0]: r[1:]
            for r in conn.execute("""
            SELECT report_id, count(*) FILTER (WHERE result = 'pass'), count(*) FILTER (WHERE result = 'fail'),
                   count(*) FILTER (WHERE result = 'not_assessable') FROM checks GROUP BY 1""").fetchall()
        }
        xfailed = _by_report(
            conn.execute("""
            SELECT report_id, rule, severity, cell_key, detail, prev_report_id FROM xyear_checks
            WHERE result = 'fail' ORDER BY report_id, rule""").fetchall()
        )
        narrative = _by_report(
            conn.execute(
                "SELECT report_id, figure_key, value, raw, approx FROM narrative ORDER BY report_id, figure_key"
            ).fetchall()
        )
        return cls(cells, failed, counts, xfailed, narrative)


def _entry(row: tuple, lay_index: int | None, check_counts: tuple) -> dict:
    """A report's entry (short keys) from its ``reports`` row, before its cells and checks."""
    (
        rid,
        org,
        year,
        province,
        city,
        county,
        level,
        source,
        tmpl,
        sec2,
        sec3,
        primary,
        latest,
        title,
        doc_url,
        page_url,
        fmt,
        pages,
        parser,
        converter,
        fetched,
        warnings,
        n_read,
        n_imp,
        n_miss,
        agency,
    ) = row
    entry = {
        "id": rid,
        "o": org,
        "y": year,
        "p": province,
        "c": city,
        "n": county,
        "l": level,
        "s": source,
        "t": tmpl,
        "v2": sec2,
        "v3": sec3,
        "L": lay_index,
        "pr": bool(primary),
        "lp": bool(latest),
        "ti": title,
        "du": doc_url,
        "pu": page_url,
        "f": fmt,
        "pg": pages,
        "pv": parser,
        "cv": converter,
        "fa": fetched,
        "a": agency,
        "w": list(warnings or []),
        "k": [n_read, n_imp, n_miss, *check_counts],
    }
    return entry


def _cells(keys: list[str], rows: list[tuple]) -> dict:
    index = {k: i for i, k in enumerate(keys)}
    values: list = [None] * len(keys)
    status = [ABSENT] * len(keys)
    locs = [""] * len(keys)
    raws: dict[str, str] = {}
    rules: dict[str, str] = {}
    extra = []
    for key, value, st, raw, locator, rule in rows:
        code = STATUS_CODES.get(st, OTHER)
        loc = format_locator(locator)
        if key not in index:
            extra.append([key, number(value), code, raw, loc, rule])
            continue
        i = index[key]
        values[i], status[i], locs[i] = number(value), code, loc
        if raw is not None and raw.strip() != shown(value) and not (code == "m" and raw.strip() == ""):
            raws[str(i)] = raw
        if rule:
            rules[str(i)] = rule
    out = {"V": values, "S": "".join(status), "X": locs}
    if raws:
        out["R"] = raws
    if rules:
        out["U"] = rules
    if extra:
        out["E"] = sorted(extra)
    return out
