"""The template's consistency rules: evaluation, honest imputation, and consistency scoring."""

from __future__ import annotations

from typing import Iterable, Mapping

from .record import FAIL, IMPUTED, MISSING, NOT_ASSESSABLE, PASS, READ, CellValue, Check
from .template import Rule, Template

TOL = 1e-6


def _sum(keys: Iterable[str], values: Mapping[str, float | int | None]) -> float:
    return sum(values[k] for k in keys)  # type: ignore[misc]


def evaluate(template: Template, cells: Mapping[str, CellValue]) -> tuple[Check, ...]:
    """One check per rule: pass / fail / not_assessable (an operand has no value)."""
    values = {k: c.value for k, c in cells.items()}
    out = []
    for rule in template.rules:
        if any(values.get(k) is None for k in rule.operands):
            missing = [k for k in rule.operands if values.get(k) is None]
            out.append(
                Check(
                    rule.id,
                    rule.severity,
                    NOT_ASSESSABLE,
                    f"no value for {', '.join(missing[:3])}" + (" …" if len(missing) > 3 else ""),
                )
            )
            continue
        left, right = _sum(rule.lhs, values), _sum(rule.rhs, values)
        if abs(left - right) <= TOL:
            out.append(Check(rule.id, rule.severity, PASS))
        else:
            out.append(Check(rule.id, rule.severity, FAIL, f"{_fmt(left)} != {_fmt(right)}"))
    return tuple(out)


def _fmt(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else f"{x:g}"


def implied_value(rule: Rule, key: str, values: Mapping[str, float | int | None]) -> float | None:
    """The value ``key`` must have for ``rule`` to hold, given every other operand (None if any is
    unknown)."""
    others_l = [k for k in rule.lhs if k != key]
    others_r = [k for k in rule.rhs if k != key]
    if any(values.get(k) is None for k in others_l + others_r):
        return None
    left, right = _sum(others_l, values), _sum(others_r, values)
    n_left = rule.lhs.count(key)
    n_right = rule.rhs.count(key)
    coef = n_left - n_right
    if coef == 0:
        return None
    return (right - left) / coef


def impute(template: Template, cells: dict[str, CellValue]) -> dict[str, CellValue]:
    """Fill a missing cell only when a rule determines it from operands that were all *read*
    (never from other imputed values), every such rule agrees, and the value is a valid count."""
    read_values = {k: (c.value if c.status == READ else None) for k, c in cells.items()}
    by_key: dict[str, list[Rule]] = {}
    for rule in template.rules:
        for k in set(rule.operands):
            by_key.setdefault(k, []).append(rule)
    out = dict(cells)
    for key, cell in cells.items():
        if cell.status != MISSING:
            continue
        implied = []
        for rule in by_key.get(key, ()):
            v = implied_value(rule, key, read_values)
            if v is not None:
                implied.append((rule.id, v))
        if not implied:
            continue
        vals = {round(v, 6) for _, v in implied}
        if len(vals) != 1:
            continue
        v = implied[0][1]
        ctype = template.cell(key).type
        if v < -TOL:
            continue
        if ctype != "decimal" and abs(v - round(v)) > TOL:
            continue
        value: int | float = int(round(v)) if ctype != "decimal" or abs(v - round(v)) <= TOL else v
        out[key] = CellValue(value, IMPUTED, cell.raw, cell.locator, rule=implied[0][0])
    return out


def inconsistency(template: Template, values: Mapping[str, float | int | None], keys: Iterable[str]) -> int:
    """How many rules touching ``keys`` the tentative ``values`` break: a rule with every operand
    known must hold; a rule with one unknown operand must leave it a non-negative whole number."""
    keys = set(keys)
    bad = 0
    for rule in template.rules:
        if not keys.intersection(rule.operands):
            continue
        unknown = [k for k in set(rule.operands) if values.get(k) is None]
        if not unknown:
            if abs(_sum(rule.lhs, values) - _sum(rule.rhs, values)) > TOL:
                bad += 1
        elif len(unknown) == 1:
            v = implied_value(rule, unknown[0], values)
            if v is not None and (v < -TOL or abs(v - round(v)) > TOL):
                bad += 1
    return bad
