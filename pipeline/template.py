"""The national report templates as data: cell keys, row keywords, columns and rules.

The definitions live in ``pipeline/spec/cells_rules.json`` (the machine-readable companion of the
template spec, ``../shared/spec/template_spec.md``; ``tests/test_template.py`` keeps the two in
step). Everything else in the pipeline asks this module what a template contains.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

TEMPLATES = ("gov2021", "gov2019")


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    severity: str
    provenance: str
    formula: str
    lhs: tuple[str, ...]  # keys summed on the left of ==
    rhs: tuple[str, ...]  # keys summed on the right of ==

    @property
    def operands(self) -> tuple[str, ...]:
        return self.lhs + self.rhs


@dataclass(frozen=True, slots=True)
class CellDef:
    key: str
    section: int
    type: str
    article: str | None = None
    row_label: str | None = None
    col_label: str | None = None
    group: str | None = None
    row_key: str | None = None  # section 三 only
    col_key: str | None = None  # section 三 only


@dataclass(frozen=True, slots=True)
class RowDef:
    row_key: str
    label: str
    group: str | None
    keywords: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ColDef:
    col_key: str
    label: str
    header_forms: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Template:
    id: str
    cells: tuple[CellDef, ...]
    rules: tuple[Rule, ...]
    rows: tuple[RowDef, ...]
    cols: tuple[ColDef, ...]

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(c.key for c in self.cells)

    def section_keys(self, section: int) -> tuple[str, ...]:
        return tuple(c.key for c in self.cells if c.section == section)

    def cell(self, key: str) -> CellDef:
        return _cell_index(self.id)[key]


def _parse_formula(formula: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    left, right = formula.split("==")
    lhs = tuple(t.strip() for t in left.split("+") if t.strip())
    rhs = tuple(t.strip() for t in right.split("+") if t.strip())
    return lhs, rhs


def _clean_keyword(word: str) -> str:
    # the JSON carries human notes in a few keywords: "3.其他 (only inside （六）)"
    return word.split(" (")[0].strip()


@cache
def _raw() -> dict[str, Any]:
    text = resources.files("pipeline.spec").joinpath("cells_rules.json").read_text(encoding="utf-8")
    raw: dict[str, Any] = json.loads(text)
    return raw


@cache
def get(template_id: str) -> Template:
    if "+" in template_id:  # a hybrid, e.g. "gov2021+gov2019"
        sec2, sec3 = template_id.split("+", 1)
        return hybrid(sec2, sec3)
    data = _raw()[template_id]
    cells = []
    for c in data["cells"]:
        row_key = col_key = None
        if c["section"] == 3:
            row_key, col_key = c["key"][3:].split("__")
        cells.append(
            CellDef(
                key=c["key"],
                section=c["section"],
                type=c.get("type", "int"),
                article=c.get("article"),
                row_label=c.get("row_label"),
                col_label=c.get("col_label"),
                group=c.get("group"),
                row_key=row_key,
                col_key=col_key,
            )
        )
    rules = []
    for r in data["rules"]:
        lhs, rhs = _parse_formula(r["formula"])
        rules.append(Rule(r["id"], r["severity"], r.get("provenance", ""), r["formula"], lhs, rhs))
    rows = tuple(
        RowDef(r["row_key"], r["label"], r.get("group"), tuple(_clean_keyword(k) for k in r["match_keywords"]))
        for r in data["table3_rows"]
    )
    cols = tuple(ColDef(c["col_key"], c["label"], tuple(c.get("seen_header_forms", ()))) for c in data["table3_cols"])
    return Template(template_id, tuple(cells), tuple(rules), rows, cols)


@cache
def _cell_index(template_id: str) -> dict[str, CellDef]:
    return {c.key: c for c in get(template_id).cells}


def all_templates() -> tuple[Template, ...]:
    return tuple(get(t) for t in TEMPLATES)


@cache
def hybrid(sec2: str, sec3: str) -> Template:
    """A template whose section 二 follows ``sec2`` and section 三 follows ``sec3``.

    Seed 002 (a 2022 report) prints the 2021 section 二 with the 2019 single （六）其他处理 row; its
    cells and rules are the union of the two halves.
    """
    if sec2 == sec3:
        return get(sec2)
    a, b = get(sec2), get(sec3)
    cells = tuple(c for c in a.cells if c.section == 2) + tuple(c for c in b.cells if c.section != 2)
    s2_keys = {c.key for c in a.cells if c.section == 2}
    rules = tuple(r for r in b.rules if not any(k.startswith("s2_") for k in r.operands))
    rules = tuple(r for r in a.rules if all(k in s2_keys for k in r.operands)) + rules
    return Template(f"{sec2}+{sec3}", cells, rules, b.rows, b.cols)
