"""What an honest parser must return for a sample report (written independently of the parser).

- a printed cell → ``(value, "read")``;
- a blank cell → ``(value, "imputed")`` when at least one rule of the template has it as its only
  blank operand and every such rule gives the same non-negative value (an integer, or a decimal for
  a decimal cell); otherwise ``(None, "missing")``. Imputation uses printed values only (one pass),
  as ``output_contract.md`` says: "follows from exactly one validation rule with all other operands
  read".
"""

from __future__ import annotations

from fractions import Fraction

from pipeline.record import IMPUTED, MISSING, READ  # the contract's words, defined once

from .model import SampleReport


def _exact(v) -> Fraction:
    return Fraction(str(v)) if isinstance(v, float) else Fraction(v)


def expected_cells(report: SampleReport) -> dict[str, tuple[int | float | None, str]]:
    d = report.definition
    cells = report.cells
    types = {c.key: c.type for c in d.cells}  # (Template.cell() fails for hybrid templates)
    out: dict[str, tuple[int | float | None, str]] = {}
    for key in d.keys:
        if cells[key] is not None:
            out[key] = (cells[key], READ)
    for key in d.keys:
        if key in out:
            continue
        decimal = types[key] == "decimal"
        values = set()
        for rule in d.rules:
            if key not in rule.operands:
                continue
            blanks = [k for k in rule.operands if cells[k] is None]
            if blanks != [key] or rule.operands.count(key) != 1:
                continue
            lhs = sum((_exact(cells[k]) for k in rule.lhs if k != key), Fraction(0))
            rhs = sum((_exact(cells[k]) for k in rule.rhs if k != key), Fraction(0))
            values.add(rhs - lhs if key in rule.lhs else lhs - rhs)
        if len(values) == 1:
            (v,) = values
            if v >= 0 and (v.denominator == 1 or decimal):
                out[key] = (int(v) if v.denominator == 1 else float(v), IMPUTED)
                continue
        out[key] = (None, MISSING)
    return {k: out[k] for k in d.keys}


def imputing_rule(report: SampleReport, key: str) -> str | None:
    """The first rule that determines a blank cell (None when it is read or missing)."""
    if expected_cells(report)[key][1] != IMPUTED:
        return None
    for rule in report.definition.rules:
        if key in rule.operands and [k for k in rule.operands if report.cells[k] is None] == [key]:
            return rule.id
    return None


def expected_meta(report: SampleReport) -> dict:
    """Report-level fields a parser must find: title, org_name, report_year, template and variants,
    and the narrative figures stated in section 一 (``narrative``)."""
    return {
        "title": report.title,
        "org_name": report.org_name,
        "report_year": report.report_year,
        "template": report.record_template,
        "sec2_variant": report.sec2_variant,
        "sec3_variant": report.sec3_variant,
        "region": report.region.to_dict(),
        "narrative": report.narrative.figures(),
    }


def rule_results(report: SampleReport, values: dict[str, int | float | None] | None = None) -> dict[str, str]:
    """Evaluate every rule over ``values`` (default: the true cells with blanks as printed):
    pass / fail / not_assessable. Used by the tests as an evaluator independent of the parser."""
    values = dict(report.cells) if values is None else values
    out = {}
    for rule in report.definition.rules:
        if any(values[k] is None for k in rule.operands):
            out[rule.id] = "not_assessable"
            continue
        lhs = sum((_exact(values[k]) for k in rule.lhs), Fraction(0))
        rhs = sum((_exact(values[k]) for k in rule.rhs), Fraction(0))
        out[rule.id] = "pass" if lhs == rhs else "fail"
    return out
