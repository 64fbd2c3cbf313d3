"""Layout → report record: sections, template detection, the three tables, rules, narrative."""

from __future__ import annotations

from typing import Mapping, Sequence, TypedDict

from .. import template as tpl
from ..layout import Layout, Line
from ..normalize import squash
from ..record import (
    FAIL,
    MISSING,
    NOT_ASSESSABLE,
    PASS,
    CellValue,
    Check,
    DocumentInfo,
    Figure,
    ParseError,
    Record,
    ReportInfo,
)
from ..rules import evaluate, impute
from ..scan import flag_cells
from . import meta, narrative, pre2019, sec2, sec3, sec4, sections

# the record's ``region``: the division the agency's name (or the title) places the report in; a
# functional TypedDict because one key is ``from``
Region = TypedDict(
    "Region",
    {
        "province": str,
        "city": str | None,
        "county": str | None,
        "adcode": str,
        "level": str,
        "from": str | None,
    },
)


def interpret(layout: Layout, *, sha256: str, size: int | None = None) -> Record:
    lines = layout.lines
    warnings = list(layout.warnings)
    regions = sections.find(lines)
    info = meta.extract(lines, hints=[layout.title_hint] if layout.title_hint else [])
    year = info.report_year

    r3 = sec3.parse(lines[regions.s3[0] : regions.s3[1]], year) if regions.s3 else None
    s2_lines = lines[regions.s2[0] : regions.s2[1]] if regions.s2 else ()
    v2 = sec2.detect(s2_lines) if s2_lines else None
    r4 = sec4.parse(lines[regions.s4[0] : regions.s4[1]]) if regions.s4 else None

    has_tables = bool((r3 and r3.found_rows) or v2 or (r4 and r4.found))
    if year is not None and year <= 2018 and not (r3 and r3.found_rows >= 5):
        has_tables = False  # free-form report: its ad-hoc tables are not the national template
    doc = DocumentInfo(sha256, layout.format, layout.converter, layout.pages, size)
    whole = "\n".join(line.text for line in lines)
    if not has_tables:
        free_form = _without_tables(lines, info, regions, doc, whole, warnings)
        if free_form is not None:
            return free_form

    v3 = r3.variant if r3 else None
    if v2 is None:
        v2 = v3 or ("gov2021" if (year or 2021) >= 2021 else "gov2019")
    if v3 is None:
        v3 = v2
    cell_template = tpl.hybrid(v2, v3)

    cells = impute(cell_template, _table_cells(sec2.parse(s2_lines, v2), r3, r4, v3, cell_template, warnings))
    checks = list(evaluate(cell_template, cells))
    cells, checks = flag_cells(cell_template, cells, checks, warnings)  # OCR'd cells in doubt (scans only)

    figures = narrative.extract(regions.texts.get("sec1_overview", ""), regions.texts.get("sec6_other", ""), whole)
    checks.append(_narr_applications(figures, cells))
    checks.append(_narr_equals("NARR_LICENSE", figures.get("n_license_items_narr"), cells.get("s2_license_decisions")))
    checks.append(_narr_equals("NARR_PENALTY", figures.get("n_penalty_items_narr"), cells.get("s2_penalty_decisions")))
    for c in checks:
        if c.result == FAIL:
            warnings.append(f"rule {c.rule} fails: {c.detail}")

    if info.year_source == "title":
        stated = _stat_year(info.stat_period)
        if stated is not None and stated != year:
            warnings.append(f"body states statistics year {stated}; title year {year} kept")
    report = _report_info(info, year, v2, v2, v3)
    return Record(doc, report, cells, tuple(checks), figures, regions.texts, tuple(warnings))


def _without_tables(
    lines: Sequence[Line],
    info: meta.Meta,
    regions: sections.Regions,
    doc: DocumentInfo,
    whole: str,
    warnings: list[str],
) -> Record | None:
    """A document without the template's tables: the record of a free-form (pre-2019) report, a
    ParseError when it is no report, or None when its sections are there but its tables are not
    (printed as images, or cut off: every cell is missing, so the report still counts in the coverage)."""
    year = info.report_year
    if info.title and year is not None and year <= 2018:
        figures = narrative.extract(regions.texts.get("sec1_overview", ""), "", whole)
        figures.update(pre2019.table_figures(lines, year))
        stated, table = figures.get("n_active_disclosed_total"), figures.get("pre2019_active_disclosed_total")
        if stated and table and stated.value != table.value:
            warnings.append(
                f"the text states {stated.value} items disclosed, the statistics table "
                f"{table.value}; both kept as printed"
            )
        report = _report_info(info, year, "pre2019", None, None)
        return Record(doc, report, {}, (), figures, regions.texts, tuple(warnings))
    if info.title is None:
        raise ParseError(
            "not a government information disclosure annual report (no report title and none of its tables)",
            "not_report",
        )
    if year is None or year < 2019 or len(regions.headings) < 3:
        raise ParseError(f"no report tables found in {info.title!r}" + (f" ({year})" if year else ""), "not_report")
    warnings.append("no table of the template found (images, or a cut-off page?); every cell is missing")
    return None


def _table_cells(
    r2: sec2.Sec2Result,
    r3: sec3.Sec3Result | None,
    r4: sec4.Sec4Result | None,
    v3: str,
    cell_template: tpl.Template,
    warnings: list[str],
) -> dict[str, CellValue]:
    """Every cell of the template from the three tables (a table not found: its cells missing)."""
    warnings += r2.warnings
    cells: dict[str, CellValue] = {}
    cells.update(r2.cells)
    if r3 is not None and r3.variant == v3:
        cells.update(r3.cells)
        warnings += r3.warnings
    else:
        if r3 is not None:
            warnings += r3.warnings
        for key in cell_template.section_keys(3):
            cells[key] = CellValue(None, MISSING, None)
    if r4 is not None:
        cells.update(r4.cells)
        warnings += r4.warnings
    else:
        for key in cell_template.section_keys(4):
            cells[key] = CellValue(None, MISSING, None)
    return {k: cells.get(k) or CellValue(None, MISSING, None) for k in cell_template.keys}


def _report_info(
    info: meta.Meta, year: int | None, template: str, sec2_variant: str | None, sec3_variant: str | None
) -> ReportInfo:
    return ReportInfo(
        info.title,
        info.org_name,
        year,
        template,
        sec2_variant,
        sec3_variant,
        region=_region(info.org_name, info.title),
        stat_period=info.stat_period,
        document_url=info.document_url,
        page_header=info.header,
        meta_from={k: v for k, v in (info.meta_from or {}).items() if v},
    )


def _region(org_name: str | None, title: str | None) -> Region | None:
    from ..regions import resolve

    res = resolve(org_name=org_name, title=title)
    d = res.division
    if d is None:
        return None
    return {
        "province": d.province,
        "city": d.city,
        "county": d.county,
        "adcode": d.adcode,
        "level": d.level,
        "from": res.resolved_from,
    }


def _stat_year(period: str | None) -> int | None:
    if not period:
        return None
    digits = "".join(ch for ch in squash(period) if ch.isdigit())
    return int(digits[:4]) if len(digits) >= 4 else None


def _narr_equals(rule: str, fig: Figure | None, cell: CellValue | None) -> Check:
    """A narrative count that usually equals a table cell (a warning when it does not)."""
    if fig is None or cell is None or cell.value is None:
        return Check(rule, "warning", NOT_ASSESSABLE)
    if fig.value == cell.value:
        return Check(rule, "warning", PASS)
    return Check(rule, "warning", FAIL, f"narrative says {fig.value}, table {cell.value}")


def _narr_applications(figures: Mapping[str, Figure], cells: Mapping[str, CellValue]) -> Check:
    fig = figures.get("n_applications_narr")
    new = cells.get("s3_new_received__total")
    carried = cells.get("s3_carried_over__total")
    if fig is None or new is None or new.value is None:
        return Check("NARR_APPLICATIONS", "warning", NOT_ASSESSABLE)
    options = {new.value}
    if carried is not None and carried.value is not None:
        options.add(new.value + carried.value)
    if fig.value in options:
        return Check("NARR_APPLICATIONS", "warning", PASS)
    return Check("NARR_APPLICATIONS", "warning", FAIL, f"narrative says {fig.value}, table 本年新收 {new.value}")
