"""Cells recognised from an image that may be wrong, said so in the record.

OCR can misread a digit with high confidence, misread a row label so that a row is taken for
another, or drop a row so that the rule that would have caught its neighbour cannot be
evaluated. None of these may end as a silent ``read`` value. After the interpreter has built the
cells and evaluated the rules, every OCR'd cell (one that carries a recognition confidence) gets
``ocr: true``, and a ``suspect`` reason when:

- its readers disagreed (confidence under ``SUSPECT_BELOW``; see ``pipeline.pdf.ocr_vote``);
- a rule it takes part in fails (only its unsure operands when it has any: they explain the
  failure);
- its row label was seen twice, or the row was placed by position for want of a label;
- a neighbouring row of section 三 came out entirely missing and the rules that would have
  checked this row cannot be evaluated (a misread label moves values to the wrong row and leaves
  the right one empty — the case where a wrong value passes every rule);
- every error rule it takes part in cannot be evaluated (a value it sums with is missing, so a
  misread here would pass unseen);
- its value (section 二) sits nearer the next row's label than its own (no rule ties those rows);
- it was imputed from a suspect value.

One more check, ``OCR_SUSPECT_CELLS`` (severity warning), lists them (``pass`` when none).
Records without OCR'd cells are returned unchanged.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import replace

from ..record import FAIL, IMPUTED, MISSING, NOT_ASSESSABLE, PASS, READ, CellValue, Check
from ..template import Template

NEARER_NEXT = "s2 value nearer the next row's label:"  # the warning pipeline.interpret.sec2 gives, then a cell key
SUSPECT_BELOW = 0.5  # = pipeline.pdf.ocr_vote.SUSPECT_BELOW (kept here: the record must not import the PDF code)
CHECK = "OCR_SUSPECT_CELLS"
_TWICE = re.compile(r"^s3 row (\w+) printed twice")
_PLACED = re.compile(r"^s3 row (\w+) has no label")


def _row_of(key: str) -> str | None:
    return key[3:].split("__")[0] if key.startswith("s3_") and "__" in key else None


def _row_reasons(
    template: Template, cells: Mapping[str, CellValue], checks: list[Check], warnings: list[str]
) -> dict[str, str]:
    """Section 三 rows whose every OCR'd cell is in doubt, with the reason."""
    out: dict[str, str] = {}
    for w in warnings:
        if m := _TWICE.match(w):
            out[m.group(1)] = "row label seen twice: this row's values may belong to another row"
        elif m := _PLACED.match(w):
            out[m.group(1)] = "row label not read: placed by position between its neighbours"
    rows: list[str] = []
    for key in template.keys:
        row = _row_of(key)
        if row and row not in rows:
            rows.append(row)
    empty = {r for r in rows if all(cells[k].status == MISSING for k in cells if _row_of(k) == r)}
    unchecked = {
        k for c in checks if c.result == NOT_ASSESSABLE for r in template.rules if r.id == c.rule for k in r.operands
    }
    for i, row in enumerate(rows):
        if row in empty or row in out:
            continue
        gone = [n for n in (rows[i - 1] if i else None, rows[i + 1] if i + 1 < len(rows) else None) if n in empty]
        ocred = [k for k in cells if _row_of(k) == row and cells[k].confidence is not None]
        if gone and ocred and all(k in unchecked for k in ocred):
            out[row] = f"neighbouring row {gone[0]} not read and this row cannot be checked: its label may be misread"
    return out


def flag_cells(
    template: Template, cells: dict[str, CellValue], checks: list[Check], warnings: list[str]
) -> tuple[dict[str, CellValue], list[Check]]:
    """The cells with ``ocr``/``suspect`` set and the checks with ``OCR_SUSPECT_CELLS`` added."""
    if not any(c.confidence is not None for c in cells.values()):
        return cells, checks
    rules = {r.id: r for r in template.rules}
    failing: dict[str, str] = {}
    for c in checks:
        if c.result == FAIL and c.rule in rules:
            operands = rules[c.rule].operands
            # the unsure readings explain the failure when there are any; otherwise every OCR'd
            # operand is in doubt (a confident misread is as likely in one as in another)
            unsure = [k for k in operands if (cells[k].confidence or 1.0) < SUSPECT_BELOW]
            for k in unsure or operands:
                failing.setdefault(k, c.rule)
    by_row = _row_reasons(template, cells, checks, warnings)
    nearer = {w[len(NEARER_NEXT) :].strip() for w in warnings if w.startswith(NEARER_NEXT)}
    ruled: dict[str, list[str]] = {}
    for r in template.rules:
        if r.severity == "error":
            for k in r.operands:
                ruled.setdefault(k, []).append(r.id)
    unassessable = {c.rule for c in checks if c.result == NOT_ASSESSABLE}
    out: dict[str, CellValue] = {}
    for key, cell in cells.items():
        if cell.confidence is None or cell.status != READ:
            out[key] = cell
            continue
        reason = None
        if cell.confidence < SUSPECT_BELOW:
            reason = f"OCR readings disagree or are unsure (confidence {cell.confidence:.2f})"
        elif key in failing:
            reason = f"rule {failing[key]} fails on OCR'd values"
        elif key in nearer:
            reason = "its value sits nearer the next row's label (a tilted scan?)"
        elif (row := _row_of(key)) in by_row:
            reason = by_row[row]
        elif key in ruled and ruled[key] and all(r in unassessable for r in ruled[key]):
            reason = "no rule could check this OCR'd value (a value it sums with is missing)"
        out[key] = replace(cell, ocr=True, suspect=reason)
    for key, cell in out.items():  # an imputed value is as good as the values it came from
        if cell.status == IMPUTED and cell.rule in rules:
            doubtful = [k for k in rules[cell.rule].operands if out.get(k) is not None and out[k].suspect]
            if doubtful:
                out[key] = replace(cell, suspect=f"imputed from suspect OCR'd value {doubtful[0]}")
    flagged = [k for k, c in out.items() if c.suspect]
    detail = f"{len(flagged)} OCR'd cells in doubt: {', '.join(flagged[:6])}" + (" …" if len(flagged) > 6 else "")
    check = Check(CHECK, "warning", FAIL if flagged else PASS, detail if flagged else None)
    return out, [*checks, check]
