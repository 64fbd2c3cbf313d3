"""Assemble the HTML page: summary sections drawn here, the drill-down drawn by the inline script."""

from __future__ import annotations

import base64
import gzip
import json
from urllib.parse import urlsplit

from gongkai.report.charts import Bar, bar_chart, count, esc, heat_class, stacked_bar
from gongkai.report.models import PARSE_STATUSES, UNRESOLVED, Distribution, QualityData
from gongkai.report.assets import script, style

# nothing may be loaded at view time: no network, no external script, style, font or image
CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:; "
    "base-uri 'none'; form-action 'none'"
)


def safe_href(url: str | None) -> str | None:
    """``url`` when it is an http(s) URL (a link from the web must not run script), else None."""
    if not url:
        return None
    try:
        scheme = urlsplit(url.strip()).scheme.lower()
    except ValueError:
        return None
    return url.strip() if scheme in ("http", "https") else None


def link(url: str | None, text: str | None = None) -> str:
    href = safe_href(url)
    if href is None:
        return f'<span class="url">{esc(url) if url else "—"}</span>'
    return (
        f'<a class="url" href="{esc(href)}" target="_blank" rel="noopener noreferrer">'
        f"{esc(text if text is not None else url)}</a>"
    )


def encode_payload(payload: dict) -> tuple[str, int]:
    """The drill-down JSON, gzip-compressed and base64-encoded; also returns its raw size in bytes."""
    raw = json.dumps(payload, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode("utf-8")
    packed = base64.b64encode(gzip.compress(raw, compresslevel=9, mtime=0)).decode("ascii")
    # line breaks keep editors and `less` usable on a large file
    return "\n".join(packed[i : i + 16384] for i in range(0, len(packed), 16384)), len(raw)


def _table(head: list[str], rows: list[list[str]], *, num: tuple[int, ...] = (), id_: str = "") -> str:
    """A table; ``rows`` hold HTML already escaped; columns in ``num`` are right-aligned numbers."""
    h = "".join(f"<th{' class=num' if i in num else ''}>{esc(c)}</th>" for i, c in enumerate(head))
    body = "".join(
        "<tr>" + "".join(f"<td{' class=num' if i in num else ''}>{c}</td>" for i, c in enumerate(r)) + "</tr>"
        for r in rows
    )
    attrs = f' id="{esc(id_)}"' if id_ else ""
    return f"<table{attrs}><thead><tr>{h}</tr></thead><tbody>{body}</tbody></table>"


def _tile(n: int | str, label: str, id_: str) -> str:
    value = count(n) if isinstance(n, (int, float)) else esc(n)
    return f'<div class="tile" id="{id_}"><b>{value}</b><span>{esc(label)}</span></div>'


def overview(d: QualityData) -> str:
    o, statuses = d.overview, dict(d.parsing.statuses)
    tiles = "".join(
        [
            _tile(o.n_primary, "primary reports (one per agency and year)", "tile-primary"),
            _tile(o.n_reports, "parsed reports (all documents, all parser versions)", "tile-reports"),
            _tile(o.n_agencies, "agencies with a primary report", "tile-agencies"),
            _tile(o.n_sources, "sources (portals)", "tile-sources"),
            _tile(o.n_fetches, "fetches", "tile-fetches"),
            _tile(o.n_documents, "candidate documents", "tile-documents"),
            _tile(statuses.get("failed", 0), "documents whose parse failed", "tile-failed"),
            _tile(statuses.get("not_parsed", 0), "documents not parsed", "tile-unparsed"),
            _tile(d.rules.reports_failing, "reports failing an error rule", "tile-rules"),
        ]
    )
    runs = ", ".join(o.runs) if o.runs else "—"
    return (
        f'<section id="overview"><h2>Overview</h2><div class="tiles">{tiles}</div>'
        f'<p class="note">Runs loaded: {esc(runs)}</p></section>'
    )


def coverage(d: QualityData) -> str:
    c = d.coverage
    with_reports = sorted((p for p in c.provinces if p.reports), key=lambda p: (-p.reports, p.province))
    bars = [
        Bar(p.province, p.reports, "blank" if p.province == UNRESOLVED else "", f"{p.agencies} agencies")
        for p in with_reports
    ]
    empty = [p.province for p in c.provinces if not p.reports and p.province != UNRESOLVED]
    level_bars = [Bar(lvl, n, "blank" if lvl == UNRESOLVED else "", f"{a} agencies") for lvl, n, a in c.levels]
    year_bars = [
        Bar(str(y) if y is not None else "(year unknown)", n, "" if y is not None else "blank", f"{a} agencies")
        for y, n, a in c.years
    ]
    rows = [
        [
            esc(p.province),
            count(p.reports),
            count(p.agencies),
            f"{p.prefectures_covered} / {p.prefectures_total}" if p.prefectures_total else count(p.prefectures_covered),
            f"{p.counties_covered} / {p.counties_total}" if p.counties_total else count(p.counties_covered),
        ]
        for p in c.provinces
    ]
    top = max((n for _, counts in c.heat for n in counts), default=0)
    heat_head = "".join(f"<th class=num>{esc(y if y is not None else '?')}</th>" for y in c.heat_years)
    heat_rows = "".join(
        f"<tr><th>{esc(p)}</th>" + "".join(f'<td class="num {heat_class(n, top)}">{n}</td>' for n in counts) + "</tr>"
        for p, counts in c.heat
    )
    missing = (
        f'<p class="note" id="no-report-provinces">Without any report ({len(empty)}): {esc("、".join(empty))}</p>'
        if empty
        else ""
    )
    return f"""<section id="coverage"><h2>Coverage</h2>
<p class="note">Primary reports (one per agency and year). A division counts as covered when an agency resolved
to exactly that division has a report; agencies without a division are shown as {esc(UNRESOLVED)}.</p>
<h3>By province</h3>{bar_chart(bars, chart_id="chart-province", title="primary reports by province")}{missing}
<div class="row"><div><h3>By level</h3>{
        bar_chart(level_bars, chart_id="chart-level", title="primary reports by level", width=460)
    }</div>
<div><h3>By report year</h3>{
        bar_chart(year_bars, chart_id="chart-year", title="primary reports by year", width=460)
    }</div></div>
<div class="row"><div><h3>Province × year</h3><table class="heat" id="heat"><thead><tr><th>province</th>{
        heat_head
    }</tr></thead>
<tbody>{heat_rows}</tbody></table></div>
<div><h3>Divisions covered</h3><div class="scroll">{
        _table(
            ["province", "reports", "agencies", "prefectures covered", "counties covered"],
            rows,
            num=(1, 2, 3, 4),
            id_="coverage-table",
        )
    }</div></div></div>
</section>"""


def fetches(d: QualityData) -> str:
    f = d.fetches
    legend = "".join(f'<span class="sw o-{esc(o)}"></span>{esc(o)}' for o in f.outcomes)
    total_bars = [Bar(o, n, f"o-{o}") for o, n in zip(f.outcomes, f.totals)]
    head = ["source", "name", "outcomes", *f.outcomes, "total"]
    rows = [
        [
            esc(s.source_id or "(none)"),
            esc(s.name or ""),
            stacked_bar(s.counts, f.outcomes),
            *[count(n) if n else "" for n in s.counts],
            count(s.total),
        ]
        for s in f.sources
    ]
    reasons = [
        [esc(r.outcome), esc(r.reason or "(no reason recorded)"), count(r.n), count(r.sources), link(r.example_url)]
        for r in f.reasons
    ]
    ended = [
        [
            esc(r.source_id),
            esc(r.name or ""),
            f'<span class="sw o-{esc(r.outcome)}"></span>{esc(r.outcome)}',
            count(r.n_documents or 0),
            esc(r.reason or ""),
            esc(r.run_id),
        ]
        for r in f.source_runs
    ]
    ended_html = (
        _table(["source", "name", "outcome", "documents", "reason", "run"], ended, id_="source-runs-table", num=(3,))
        if ended
        else '<p class="note">No source outcome recorded (a run loaded before they were).</p>'
    )
    return f"""<section id="fetches"><h2>Fetch outcomes</h2>
<h3>How each source ended (latest run)</h3><p class="note">empty: the portal answered but no report was listed
(fix the start URL); blocked: only challenges; down: nothing usable; partial: some fetches failed.</p>
<div class="scroll">{ended_html}</div>
<h3>All fetches</h3>{bar_chart(total_bars, chart_id="chart-outcomes", title="fetches by outcome", width=560)}
<h3>Per source</h3><p class="note">Sources with the most failed fetches first. {legend}</p>
<div class="scroll">{_table(head, rows, id_="fetch-table", num=tuple(range(3, len(head))))}</div>
<h3>Why fetches did not succeed</h3>{
        _table(["outcome", "reason", "fetches", "sources", "example URL"], reasons, id_="reason-table", num=(2, 3))
        if reasons
        else '<p class="note">Every fetch succeeded.</p>'
    }
</section>"""


def parsing(d: QualityData) -> str:
    p = d.parsing
    status_bars = [Bar(s, n, "flag" if s == "failed" else ("blank" if s != "ok" else "")) for s, n in p.statuses]
    kind_bars = [Bar(k, n, "flag") for k, n in p.error_kinds]
    fmt_rows = [[esc(f), *[count(n) for n in counts], count(sum(counts))] for f, counts in p.by_format]
    fail_rows = [
        [
            esc(x.error_kind or "—"),
            esc(x.error or ""),
            esc(x.source_id or ""),
            esc(x.format or ""),
            esc(x.title or ""),
            link(x.document_url, "document"),
            link(x.page_url, "page"),
            f'<span class="url">{esc(x.sha256[:12])}</span>',
        ]
        for x in p.failures
    ]
    more = (
        f'<p class="note">{p.n_failures - len(p.failures)} more in the <code>parse_failures</code> view.</p>'
        if p.n_failures > len(p.failures)
        else ""
    )
    kinds = (
        bar_chart(kind_bars, chart_id="chart-errors", title="failed parses by error kind", width=520)
        if kind_bars
        else '<p class="note">No parse failed.</p>'
    )
    failures = (
        _table(
            ["error kind", "error", "source", "format", "title", "document", "page", "sha256"],
            fail_rows,
            id_="failure-table",
        )
        if fail_rows
        else ""
    )
    return f"""<section id="parsing"><h2>Parse status</h2>
<div class="row"><div><h3>Documents by parse status</h3>{
        bar_chart(status_bars, chart_id="chart-parse", title="documents by parse status", width=460)
    }</div>
<div><h3>Failures by kind</h3>{kinds}</div>
<div><h3>By format</h3>{
        _table(["format", *PARSE_STATUSES, "total"], fmt_rows, num=(1, 2, 3, 4), id_="format-table")
    }</div></div>
{"<h3>Failed parses</h3>" + failures + more if failures else ""}
</section>"""


def rules(d: QualityData) -> str:
    r = d.rules
    fam_rows = [
        [esc(f), count(p), f'<span class="{"err" if n else ""}">{count(n)}</span>', count(na)]
        for f, p, n, na in r.families
    ]
    bars = [
        Bar(
            f"{x.rule}" + (" (cross-year)" if x.origin == "warehouse" else ""),
            x.reports,
            "flag" if x.severity == "error" else "",
            f"{x.severity}, {x.origin}",
        )
        for x in r.failing[:40]
    ]
    chart = (
        bar_chart(bars, chart_id="chart-rules", title="reports failing each rule", label_width=330, width=760)
        if bars
        else '<p class="note">No rule failed.</p>'
    )
    more = (
        f'<p class="note">{len(r.failing) - 40} more rules failed; see the rule_failures view.</p>'
        if len(r.failing) > 40
        else ""
    )
    return f"""<section id="rules"><h2>Rule checks</h2>
<p class="note">Newest parse of every document. {r.reports_failing} of {r.reports_checked} reports fail at least one
error rule (the document contradicts itself; values stay as printed). Cross-year rules are warnings computed by the warehouse.</p>
<div class="row"><div><h3>By rule family</h3>{_table(["family", "pass", "fail", "not assessable"], fam_rows, num=(1, 2, 3), id_="family-table")}</div>
<div><h3>Failing rules (reports)</h3>{chart}{more}</div></div>
<p><a href="#reports" id="show-failing">List the reports with failed rules</a> (tick “failed rules only” below).</p>
</section>"""


def _distribution(dist: Distribution, chart_id: str) -> str:
    bars = [Bar(label, n, "flag" if "impossible" in label or ">" in label else "") for label, n in dist.bins]
    stats = "".join(f"<tr><th>{esc(k)}</th><td class=num>{esc(v)}</td></tr>" for k, v in dist.stats)
    return (
        f"<div><h3>{esc(dist.title)}</h3>{bar_chart(bars, chart_id=chart_id, title=dist.title, width=520)}"
        f'<table class="stats" id="{chart_id}-stats"><tr><th>reports with a value</th><td class=num>{dist.n}</td></tr>'
        f"<tr><th>reports without a value</th><td class=num>{dist.n_blank}</td></tr>{stats}</table>"
        f'<p class="note">{esc(dist.note)}</p></div>'
    )


def figures(d: QualityData) -> str:
    received, share = d.distributions
    return (
        f'<section id="figures"><h2>Key figures</h2><div class="row">'
        f"{_distribution(received, 'chart-received')}{_distribution(share, 'chart-share')}</div></section>"
    )


def drilldown() -> str:
    head = "".join(
        f"<th>{esc(h)}</th>"
        for h in (
            "agency",
            "year",
            "region",
            "template",
            "read",
            "imputed",
            "missing",
            "failed rules",
            "cross-year",
            "primary",
        )
    )
    return f"""<section id="reports"><h2>Reports</h2>
<p class="note">Every parsed report. Click one to see its cells laid out as the template's tables.</p>
<div id="controls"><input id="filter" type="search" placeholder="filter: agency, province, year, source, id…">
<label><input type="checkbox" id="only-failed"> failed rules only</label>
<label><input type="checkbox" id="only-primary"> primary only</label><span id="list-count" class="note">loading…</span></div>
<div class="scroll"><table id="report-list"><thead><tr>{head}</tr></thead><tbody></tbody></table></div>
<p><button id="more" hidden>show more</button></p>
<article id="detail" hidden></article></section>"""


def render(d: QualityData, payload: dict) -> tuple[str, int]:
    """The whole page, and the size of the drill-down JSON before compression."""
    packed, raw_size = encode_payload(payload)
    o = d.overview
    nav = "".join(
        f'<a href="#{k}">{v}</a>'
        for k, v in (
            ("overview", "Overview"),
            ("coverage", "Coverage"),
            ("fetches", "Fetches"),
            ("parsing", "Parsing"),
            ("rules", "Rules"),
            ("figures", "Key figures"),
            ("reports", "Reports"),
        )
    )
    script_js = script().replace("</", "<\\/")
    html = f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{esc(CSP)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>gongkai quality report</title><style>{style()}</style></head>
<body data-ready="no"><header><h1>政府信息公开工作年度报告 · quality report</h1>
<p>Warehouse <code>{esc(o.warehouse)}</code> · generated {esc(o.generated_at)} · {count(o.n_reports)} reports</p>
<nav>{nav}</nav></header>
<main>{overview(d)}{coverage(d)}{fetches(d)}{parsing(d)}{rules(d)}{figures(d)}{drilldown()}</main>
<script type="application/octet-stream" id="payload" data-encoding="gzip+base64">
{packed}
</script>
<script>{script_js}</script>
</body></html>
"""
    return html, raw_size
