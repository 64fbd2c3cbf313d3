"""Read the summary parts of the report from the warehouse's public views.

Coverage and distributions count primary reports (one per agency and year, ``is_primary``);
parse and rule quality count the newest parse of every document (``is_latest_parse``).
"""

from __future__ import annotations

import datetime as dt
import math
import statistics

import duckdb

from gongkai.report.models import (
    LEVELS,
    OUTCOMES,
    PARSE_STATUSES,
    UNRESOLVED,
    Coverage,
    Distribution,
    FetchOutcomes,
    FetchReason,
    SourceRun,
    Overview,
    ParseFailure,
    ParseStatus,
    ProvinceCoverage,
    QualityData,
    RuleCount,
    RuleResults,
    SourceFetches,
)

MAX_LISTED = 200  # rows listed in the parse-failure and fetch-reason tables


def _rows(conn: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> list[tuple]:
    return conn.execute(sql, params or []).fetchall()


def _optional(conn: duckdb.DuckDBPyConnection, sql: str) -> list[tuple]:
    """Rows of a query on a ``core`` table that an older warehouse may lack (then none)."""
    try:
        return _rows(conn, sql)
    except duckdb.CatalogException:
        return []


def overview(conn: duckdb.DuckDBPyConnection, warehouse: str) -> Overview:
    n_reports, n_primary, n_agencies = _rows(
        conn,
        """
        SELECT count(*), count(*) FILTER (WHERE is_primary),
               count(DISTINCT agency_id) FILTER (WHERE is_primary) FROM reports""",
    )[0]
    sources = _optional(conn, "SELECT count(*) FROM core.sources")
    runs = _optional(conn, "SELECT run_id FROM core.runs ORDER BY loaded_at, run_id")
    return Overview(
        warehouse=warehouse,
        generated_at=dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        n_reports=n_reports,
        n_primary=n_primary,
        n_agencies=n_agencies,
        n_sources=sources[0][0] if sources else 0,
        n_documents=_rows(conn, "SELECT count(*) FROM documents")[0][0],
        n_fetches=_rows(conn, "SELECT count(*) FROM fetches")[0][0],
        runs=tuple(dict.fromkeys(r[0] for r in runs)),
    )


def coverage(conn: duckdb.DuckDBPyConnection) -> Coverage:
    provinces = _provinces(conn)
    years = tuple(
        _rows(
            conn,
            """
        SELECT report_year, count(*), count(DISTINCT agency_id) FROM reports WHERE is_primary
        GROUP BY 1 ORDER BY 1 NULLS LAST""",
        )
    )
    heat_years, heat = _heat(conn, provinces, years)
    return Coverage(tuple(provinces), tuple(_levels(conn)), years, heat_years, heat)


def _provinces(conn: duckdb.DuckDBPyConnection) -> list[ProvinceCoverage]:
    """Primary reports, agencies and divisions covered per province (reports of no province last)."""
    per_province = {
        p: (n, a)
        for p, n, a in _rows(
            conn,
            """
        SELECT province, count(*), count(DISTINCT agency_id) FROM reports WHERE is_primary GROUP BY 1""",
        )
    }
    covered = {
        (p, lvl): n
        for p, lvl, n in _rows(
            conn,
            """
        SELECT province, region_level, count(DISTINCT adcode) FROM reports
        WHERE is_primary AND adcode IS NOT NULL GROUP BY ALL""",
        )
    }
    totals = {
        (p, lvl): n
        for p, lvl, n in _optional(
            conn,
            """
        SELECT province, level, count(*) FROM core.regions WHERE adcode IS NOT NULL GROUP BY ALL""",
        )
    }
    order = [
        p
        for (p,) in _optional(
            conn,
            """
        SELECT province FROM core.regions WHERE level = 'province' AND adcode IS NOT NULL ORDER BY adcode""",
        )
    ]
    names = list(dict.fromkeys(order + sorted(p for p in per_province if p is not None)))
    provinces = [
        ProvinceCoverage(
            province=p,
            reports=per_province.get(p, (0, 0))[0],
            agencies=per_province.get(p, (0, 0))[1],
            prefectures_covered=covered.get((p, "prefecture"), 0),
            prefectures_total=totals.get((p, "prefecture"), 0),
            counties_covered=covered.get((p, "county"), 0),
            counties_total=totals.get((p, "county"), 0),
        )
        for p in names
    ]
    if None in per_province:
        n, a = per_province[None]
        provinces.append(ProvinceCoverage(UNRESOLVED, n, a, 0, 0, 0, 0))
    return provinces


def _levels(conn: duckdb.DuckDBPyConnection) -> list[tuple]:
    """(level, primary reports, agencies): the known levels in order, then any other, then unresolved."""
    level_rows = {
        lvl: (n, a)
        for lvl, n, a in _rows(
            conn,
            """
        SELECT region_level, count(*), count(DISTINCT agency_id) FROM reports WHERE is_primary GROUP BY 1""",
        )
    }
    levels = [(lvl, *level_rows.get(lvl, (0, 0))) for lvl in LEVELS]
    levels += [
        (lvl, n, a)
        for lvl, (n, a) in sorted(level_rows.items(), key=lambda kv: str(kv[0]))
        if lvl not in LEVELS and lvl is not None
    ]
    if None in level_rows:
        levels.append((UNRESOLVED, *level_rows[None]))
    return levels


def _heat(conn: duckdb.DuckDBPyConnection, provinces: list[ProvinceCoverage], years: tuple) -> tuple[tuple, tuple]:
    """The years of the heat map and its rows: primary reports per province (most first) and year."""
    heat_years = tuple(y for y, _, _ in years)
    cells = {
        (p, y): n
        for p, y, n in _rows(
            conn,
            """
        SELECT province, report_year, count(*) FROM reports WHERE is_primary GROUP BY ALL""",
        )
    }
    heat = tuple(
        (p.province, tuple(cells.get((None if p.province == UNRESOLVED else p.province, y), 0) for y in heat_years))
        for p in sorted(provinces, key=lambda p: -p.reports)
        if p.reports
    )
    return heat_years, heat


def fetch_outcomes(conn: duckdb.DuckDBPyConnection) -> FetchOutcomes:
    rows = _rows(conn, "SELECT source_id, outcome, count(*) FROM fetches GROUP BY ALL")
    found = sorted({str(o) for _, o, _ in rows} - set(OUTCOMES))
    outcomes = OUTCOMES + tuple(found)
    index = {o: i for i, o in enumerate(outcomes)}
    names = dict(_optional(conn, "SELECT source_id, name FROM core.sources"))
    per_source: dict[str, list[int]] = {}
    for source, outcome, n in rows:
        per_source.setdefault(source or "", [0] * len(outcomes))[index[str(outcome)]] += n
    sources = [SourceFetches(s, names.get(s), tuple(c), sum(c)) for s, c in per_source.items()]
    sources.sort(key=lambda s: (-s.problems, -s.total, s.source_id))
    totals = tuple(sum(s.counts[i] for s in sources) for i in range(len(outcomes)))
    reasons = tuple(
        FetchReason(*r)
        for r in _rows(
            conn,
            f"""
        SELECT outcome, reason, count(*) AS n, count(DISTINCT source_id), min(url) FROM fetches
        WHERE outcome IS DISTINCT FROM 'ok' AND outcome IS DISTINCT FROM 'not_modified'
        GROUP BY ALL ORDER BY n DESC, outcome, reason NULLS LAST LIMIT {MAX_LISTED}""",
        )
    )
    # the sources that need a person first (a warehouse from before migration 007 has no source_runs)
    runs = tuple(
        SourceRun(*r)
        for r in _optional(
            conn,
            """
        SELECT source_id, name, outcome, reason, n_documents, run_id FROM source_runs WHERE is_latest
        ORDER BY list_position(['empty', 'blocked', 'down', 'partial', 'ok'], outcome) NULLS FIRST, source_id""",
        )
    )
    return FetchOutcomes(outcomes, totals, tuple(sources), reasons, runs)


def parse_status(conn: duckdb.DuckDBPyConnection) -> ParseStatus:
    status_rows = dict(_rows(conn, "SELECT parse_status, count(*) FROM documents GROUP BY 1"))
    statuses = tuple((s, status_rows.pop(s, 0)) for s in PARSE_STATUSES) + tuple(sorted(status_rows.items()))
    fmt: dict[str, list[int]] = {}
    for f, s, n in _rows(conn, "SELECT coalesce(format, '?'), parse_status, count(*) FROM documents GROUP BY ALL"):
        if s in PARSE_STATUSES:
            fmt.setdefault(f, [0, 0, 0])[PARSE_STATUSES.index(s)] += n
    by_format = tuple(sorted(((f, tuple(c)) for f, c in fmt.items()), key=lambda fc: (-sum(fc[1]), fc[0])))
    kinds = tuple(
        _rows(
            conn,
            """
        SELECT coalesce(error_kind, '(none)'), count(*) AS n FROM parse_failures GROUP BY 1 ORDER BY n DESC, 1""",
        )
    )
    failures = tuple(
        ParseFailure(*r)
        for r in _rows(
            conn,
            f"""
        SELECT sha256, parser_version, error_kind, error, source_id, title, format, document_url, page_url
        FROM parse_failures ORDER BY error_kind NULLS LAST, source_id, fetched_at, sha256 LIMIT {MAX_LISTED}""",
        )
    )
    n_failures = _rows(conn, "SELECT count(*) FROM parse_failures")[0][0]
    return ParseStatus(statuses, by_format, kinds, failures, n_failures)


def rule_results(conn: duckdb.DuckDBPyConnection) -> RuleResults:
    families = _rows(
        conn,
        """
        WITH latest AS (SELECT report_id FROM reports WHERE is_latest_parse),
        results AS (
            SELECT c.rule, c.result FROM checks c JOIN latest USING (report_id)
            UNION ALL
            SELECT x.rule, x.result FROM xyear_checks x JOIN latest USING (report_id))
        SELECT split_part(rule, '__', 1) AS family,
               count(*) FILTER (WHERE result = 'pass'), count(*) FILTER (WHERE result = 'fail'),
               count(*) FILTER (WHERE result = 'not_assessable')
        FROM results GROUP BY 1 ORDER BY 1""",
    )
    failing = tuple(
        RuleCount(*r)
        for r in _rows(
            conn,
            """
        SELECT f.rule, f.severity, f.origin, count(DISTINCT f.report_id) AS n
        FROM rule_failures f JOIN reports r USING (report_id) WHERE r.is_latest_parse
        GROUP BY ALL ORDER BY n DESC, f.origin, f.rule""",
        )
    )
    reports_failing, checked = _rows(
        conn,
        """
        SELECT count(*) FILTER (WHERE EXISTS (SELECT 1 FROM checks c WHERE c.report_id = r.report_id
                                              AND c.result = 'fail' AND c.severity = 'error')),
               count(*)
        FROM reports r WHERE r.is_latest_parse""",
    )[0]
    return RuleResults(tuple(families), failing, reports_failing, checked)


def _fmt_number(v: float) -> str:
    return f"{v:,.0f}" if float(v).is_integer() else f"{v:,.2f}"


def _quantile(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[int(q * 100) - 1] if len(values) > 1 else values[0]


def _stats(values: list[float], fmt) -> tuple[tuple[str, str], ...]:
    if not values:
        return ()
    return (
        ("min", fmt(min(values))),
        ("median", fmt(statistics.median(values))),
        ("p90", fmt(_quantile(values, 0.9))),
        ("max", fmt(max(values))),
    )


DECADES = (
    (0, 0, "0"),
    (1, 9, "1–9"),
    (10, 99, "10–99"),
    (100, 999, "100–999"),
    (1000, 9999, "1,000–9,999"),
    (10000, None, "≥ 10,000"),
)


def received_distribution(conn: duckdb.DuckDBPyConnection) -> Distribution:
    values = [v for (v,) in _rows(conn, "SELECT s3_new_received__total FROM report_wide WHERE is_primary")]
    present = [float(v) for v in values if v is not None and math.isfinite(v)]
    bins = []
    if any(v < 0 for v in present):
        bins.append(("< 0 (impossible)", sum(1 for v in present if v < 0)))
    for lo, hi, label in DECADES:
        if lo == 0:  # 0 and the rare fractional value below 1 (not an integer count) stay together
            bins.append((label, sum(1 for v in present if 0 <= v < 1)))
        else:
            bins.append((label, sum(1 for v in present if v >= lo and (hi is None or v < hi + 1))))
    return Distribution(
        key="s3_new_received__total",
        title="Applications received (本年新收政府信息公开申请数量, 总计)",
        bins=tuple(bins),
        n=len(present),
        n_blank=len(values) - len(present),
        stats=_stats(present, _fmt_number),
        note="Primary reports; a blank 总计 cell is counted as without a value, never as 0.",
    )


def share_distribution(conn: duckdb.DuckDBPyConnection) -> Distribution:
    rows = _rows(conn, "SELECT s3_granted__total, s3_results_total__total FROM report_wide WHERE is_primary")
    shares, blank, zero = [], 0, 0
    for granted, handled in rows:
        if granted is None or handled is None or not math.isfinite(granted) or not math.isfinite(handled):
            blank += 1
        elif handled == 0:
            zero += 1
        else:
            shares.append(granted / handled)
    tol = 1e-9
    counts = [0] * 10
    for s in shares:
        if -tol <= s <= 1 + tol:
            counts[min(9, max(0, int(s * 10 + tol)))] += 1
    bins = [(f"{10 * i}–{10 * i + 10}%", n) for i, n in enumerate(counts)]
    above = sum(1 for s in shares if s > 1 + tol)
    below = sum(1 for s in shares if s < -tol)
    if above:
        bins.append(("> 100% (granted > handled)", above))
    if below:
        bins.insert(0, ("< 0% (impossible)", below))
    return Distribution(
        key="s3_granted__total/s3_results_total__total",
        title="Share fully disclosed (（一）予以公开 ÷ （七）总计)",
        bins=tuple(bins),
        n=len(shares),
        n_blank=blank + zero,
        stats=_stats(shares, lambda v: f"{100 * v:.1f}%"),
        note=(
            f"Primary reports with both cells read or imputed and at least one application handled; "
            f"{blank} with a blank operand and {zero} with no application handled have no share (not 0%)."
        ),
    )


def collect(conn: duckdb.DuckDBPyConnection, warehouse: str) -> QualityData:
    """Every summary part of the report."""
    return QualityData(
        overview(conn, warehouse),
        coverage(conn),
        fetch_outcomes(conn),
        parse_status(conn),
        rule_results(conn),
        (received_distribution(conn), share_distribution(conn)),
    )
