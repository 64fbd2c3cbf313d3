"""What ``gongkai discover`` found, as text for a person and as a sources entry to paste."""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass
from datetime import date
from urllib.parse import urlsplit

from pipeline import regions

_GKMLPT_API = re.compile(r"^(.*?)/gkmlpt/api/all/(\d+)\?")
_HOST_NOISE = re.compile(r"^www\.|\.(gov\.cn|com\.cn|org\.cn|net\.cn|cn|com|org|net)$")


@dataclass(frozen=True)
class Page:
    url: str
    kind: str
    family: str
    n_reports: int


@dataclass(frozen=True)
class Report:
    url: str
    title: str
    year: int | None
    found_on: str


@dataclass(frozen=True)
class Findings:
    url: str
    site_name: str
    family: str  # of the column page, else the one most pages showed
    column: Page | None  # the first page read as the annual-report column
    list_pages: tuple[Page, ...]  # further pages of the column (static, POST, API)
    failed_lists: tuple[str, ...]  # further pages that did not answer: "URL (outcome: reason)"
    reports: tuple[Report, ...]
    n_pages: int  # pages fetched (robots.txt not counted)
    outcomes: dict
    budget_reached: bool
    lists_capped: bool

    @classmethod
    def collect(cls, url: str, items: list[dict], fetches: list[dict], stats: dict) -> "Findings":
        seen = [i for i in items if "kind" in i]
        pages = [Page(i["url"], i["kind"], i["family"], i["n_reports"]) for i in seen if i.get("listing")]
        column = next((p for p in pages if p.kind != "list"), None)
        families = Counter(i["family"] for i in seen)
        family = column.family if column else (families.most_common(1)[0][0] if families else "none")
        name = next((i["site_name"] for i in seen if i.get("site_name")), "")
        reports = [Report(i["url"], i["title"], i.get("year"), i["found_on"]) for i in items if "found_on" in i]
        reports.sort(key=lambda r: -(r.year or 0))
        if column is not None:  # report links on the column page itself
            base = column.url.split("#", 1)[0]
            column = Page(column.url, column.kind, column.family, sum(1 for r in reports if r.found_on == base))
        page_fetches = [f for f in fetches if f.get("kind") != "robots"]
        further = sorted((p for p in pages if p.kind == "list"), key=lambda p: p.url)
        failed = tuple(
            f"{f['url']}  ({f['outcome']}: {f.get('reason') or 'no reason given'})"
            for f in fetches
            if f.get("kind") == "list" and f.get("outcome") not in ("ok", "not_modified")
        )
        return cls(
            url,
            name,
            family,
            column,
            tuple(further),
            failed,
            tuple(reports),
            len(page_fetches),
            dict(Counter(f.get("outcome") for f in page_fetches)),
            stats.get("finish_reason") == "closespider_pagecount",
            bool(stats.get("gongkai/list_pages_capped")),
        )


def render(f: Findings, n_reports: int = 10) -> str:
    outcomes = ", ".join(f"{k} {v}" for k, v in sorted(f.outcomes.items()))
    lines = [
        f"portal      {f.site_name or '(no name on the page)'}  {f.url}",
        f"family      {f.family}",
        f"column      {f.column.url}  ({f.column.n_reports} report links on it)"
        if f.column
        else "column      none read as a column; reports are linked from the pages below",
    ]
    more = " (more exist: not fetched by discover)" if f.lists_capped else ""
    lines.append(f"list pages  {len(f.list_pages)} further{more}")
    lines += [f"            {p.url}" for p in f.list_pages]
    lines += [f"            failed: {line}" for line in f.failed_lists]
    years = sorted({r.year for r in f.reports if r.year}, reverse=True)
    span = f", years {years[-1]}–{years[0]}" if years else ""
    lines.append(f"reports     {len(f.reports)} links{span}; the first {min(n_reports, len(f.reports))}:")
    lines += [f"  {r.year or '????'}  {r.title}  {r.url}" for r in f.reports[:n_reports]]
    budget = "; page budget reached" if f.budget_reached else ""
    lines.append(f"fetched     {f.n_pages} pages ({outcomes}){budget}")
    return "\n".join(lines)


def source_id(url: str) -> str:
    host = (urlsplit(url).hostname or "portal").lower()
    while _HOST_NOISE.search(host):
        host = _HOST_NOISE.sub("", host, count=1)
    return re.sub(r"[^a-z0-9_.-]+", "-", host).strip("-._") or "portal"


def start_url(f: Findings) -> str:
    """The column page; for gkmlpt, when its API listed exactly one category (not the all-articles
    one), the app page naming it (``…/gkmlpt/index#2571``, the shape registries use): a start URL
    with a fragment lists that category only, so a column with sub-categories keeps its page URL."""
    cats = {m.groups() for p in f.list_pages if f.family == "gkmlpt" and (m := _GKMLPT_API.match(p.url))}
    if len(cats) == 1 and next(iter(cats))[1] != "0":
        prefix, cat = next(iter(cats))
        return f"{prefix}/gkmlpt/index#{cat}"
    return f.column.url if f.column else f.url


def entry_yaml(f: Findings, on: date) -> str:
    """The sources entry, as YAML (JSON strings are YAML scalars) with the guesses commented."""
    start = start_url(f)
    host = urlsplit(f.url).netloc.lower()
    div = regions.from_text(f.site_name) if f.site_name else None
    region = (
        f'"{div.adcode}"   # guessed from the name: {div.province}{div.city or ""}{div.county or ""}'
        if div
        else "null   # not guessed from the name: the 6-digit division code"
    )
    cms = f.family if f.family in ("trs", "hanweb", "gkmlpt", "fjdzapp") else "auto"
    q = lambda s: json.dumps(s, ensure_ascii=False)  # noqa: E731
    return "\n".join(
        [
            f"  - id: {source_id(f.url)}",
            f"    name: {q(f.site_name or host)}",
            f"    region: {region}",
            f"    start_urls: [{q(start)}]",
            f"    allowed_domains: [{q(host)}]",
            f"    cms: {cms}",
            f"    cited_from: {q(f'discovered by gongkai discover {f.url} on {on.isoformat()}')}",
            "    verified: false",
        ]
    )
