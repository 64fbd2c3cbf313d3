"""Section 三 (收到和处理政府信息公开申请情况): 25 (gov2021) or 23 (gov2019) rows × 7 columns."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable, Sequence

from .. import template as tpl
from ..layout import Line
from ..normalize import squash
from ..record import MISSING, READ, CellValue
from ..rules import implied_value, inconsistency
from .splits import Reading, is_joined, marks_at_stake, placements, stream_readings
from .tokens import BLANK, NUM, Segment, Tok, drops_printed_blank, latest_match, line_tokens, segments, trim_values

WIDTH = 7
COLS = tuple(c.col_key for c in tpl.get("gov2021").cols)
ROWS_2021 = tuple(r.row_key for r in tpl.get("gov2021").rows)
ROWS_2019 = tuple(r.row_key for r in tpl.get("gov2019").rows)
ONLY_2021 = frozenset(ROWS_2021) - frozenset(ROWS_2019)
ONLY_2019 = frozenset(ROWS_2019) - frozenset(ROWS_2021)

_KEYWORDS: list[tuple[str, str]] = []
for _r in tpl.get("gov2021").rows + tpl.get("gov2019").rows:
    for _kw in _r.keywords:
        _k = squash(_kw)
        if _r.row_key == "other_misc":
            continue  # "3.其他" is matched with its group context below
        if (_r.row_key, _k) not in _KEYWORDS:
            _KEYWORDS.append((_r.row_key, _k))

GROUPS = (
    (3, re.compile(r"\(三\)|不予公开")),
    (4, re.compile(r"\(四\)|无法提供")),
    (5, re.compile(r"\(五\)|不予处理")),
    (6, re.compile(r"\(六\)|其他处理")),
)
GROUP_ROWS = {
    3: tuple(r for r in ROWS_2021 if r.startswith("denied_")),
    4: tuple(r for r in ROWS_2021 if r.startswith("unavailable_")),
    5: tuple(r for r in ROWS_2021 if r.startswith("not_processed_")),
    6: ("other_no_correction_overdue", "other_fee_unpaid_overdue", "other_misc"),
}
_NUMBERED_RE = re.compile(r"(\d)[.．、]?\D*$")
_MISC_RE = re.compile(r"(?:^|[^\d])3\.?其他$|^其他$")

COL_PATTERNS: tuple[tuple[str, Callable[[str], bool]], ...] = (
    ("natural_person", lambda s: s.startswith("自然")),
    ("commercial_enterprise", lambda s: "商业" in s and len(s) <= 6),
    ("research_institution", lambda s: "科研" in s and len(s) <= 6),
    ("social_welfare_org", lambda s: ("公益" in s or s.startswith("社会")) and len(s) <= 8),
    ("legal_service_org", lambda s: s.startswith("法律") and len(s) <= 8),
    ("other_org", lambda s: s in ("其他", "其它")),
    ("total", lambda s: s in ("总计", "合计")),
)


@dataclass
class Sec3Result:
    variant: str | None
    cells: dict[str, CellValue]
    warnings: list[str] = field(default_factory=list)
    found_rows: int = 0


def _group_of(label: str) -> int | None:
    best, best_pos = None, -1
    for g, rx in GROUPS:
        for m in rx.finditer(label):
            if m.start() >= best_pos:
                best, best_pos = g, m.start()
    return best


def match_row(label: str, group: int | None, after: int = -1) -> str | None:
    """The row a label names: the keyword that ends latest in the label wins (group labels, column
    headers and the tail of the previous label come before the row's own label when glued).
    Labels cut too short for any keyword fall back to their sub-row number inside the current group
    ("4.无正当理由大" → （五）4); ``after`` (the order index of the previous row found) moves such a
    number on to the next group when the current one is already past it."""
    best, best_end = latest_match(label, _KEYWORDS)
    if group == 6 or "(六)" in label:
        m = _MISC_RE.search(label)
        if m and m.end() >= best_end:
            return "other_misc"
    m = _NUMBERED_RE.search(label)
    if m and group in GROUP_ROWS and (best is None or m.start() >= best_end):
        idx = int(m.group(1)) - 1
        for g in (group, group + 1):
            rows = GROUP_ROWS.get(g, ())
            if 0 <= idx < len(rows) and ROWS_2021.index(rows[idx]) > after:
                return rows[idx]
        if best is None:
            rows = GROUP_ROWS[group]
            return rows[idx] if 0 <= idx < len(rows) else None
    if best is not None:
        return best
    if label.endswith("总计") and len(label) <= 8:
        return "results_total"
    return None


def _column_map(lines: Sequence[Line], stop: int) -> dict[str, int] | None:
    found: dict[str, int] = {}
    for line in lines[:stop]:
        if line.table is None:
            continue
        for cell in line.cells:
            if cell.col is None or cell.span != 1 or cell.continued:
                continue
            s = squash(cell.text)
            for key, pred in COL_PATTERNS:
                if key not in found and pred(s):
                    found[key] = cell.col
                    break
    if len(found) == WIDTH:
        cols = [found[k] for k in COLS]
        if all(a < b for a, b in zip(cols, cols[1:])):
            return found
    return None


def _rightmost_map(lines: Sequence[Line]) -> dict[str, int] | None:
    last = -1
    for line in lines:
        if line.table is None:
            continue
        for cell in line.cells:
            if cell.col is not None and squash(cell.text):
                last = max(last, cell.col + cell.span - 1)
    if last < WIDTH:
        return None
    return {k: last - WIDTH + 1 + i for i, k in enumerate(COLS)}


def _grid_values(line: Line, colmap: dict[str, int]) -> tuple[list[Tok], list[Tok], list[str]]:
    toks = line_tokens(line)
    first = min(colmap.values())
    labels = [t for t in toks if t.col is not None and t.col < first and t.kind != BLANK]
    by_col = {t.col: t for t in toks if t.col is not None}
    values, notes = [], []
    for key in COLS:
        t = by_col.get(colmap[key])
        if t is None or t.kind not in (NUM, BLANK):
            values.append(
                Tok(BLANK, t.raw if t else "", t.norm if t else "", locator=t.locator if t else None, col=colmap[key])
            )
            if t is not None and t.kind != BLANK and t.norm:
                notes.append(f"value cell prints {t.raw!r}")
        elif t.continued and t.kind == NUM:
            values.append(Tok(BLANK, "", "", locator=t.locator, col=t.col))
            notes.append("a number merged over several rows was not repeated")
        else:
            values.append(t)
    return labels, values, notes


def parse(lines: Sequence[Line], year_hint: int | None = None) -> Sec3Result:
    warnings: list[str] = []
    segs = segments(lines, WIDTH)
    group: int | None = None
    matched: list[tuple[Segment, str | None]] = []
    after = -1
    for seg in segs:
        label = seg.label
        g = _group_of(label)
        if g is not None:
            group = g
        row = match_row(label, group, after) if label else None
        if row in ROWS_2021:
            after = max(after, ROWS_2021.index(row))
            group = next((k for k, rows in GROUP_ROWS.items() if row in rows), group)
        matched.append((seg, row))

    # a stream row that runs on into the numbers of the next (unlabelled) row: split it
    split: list[tuple[Segment, str | None]] = []
    for seg, row in matched:
        nums = seg.numbers
        if not seg.positional and len(nums) >= 2 * WIDTH:
            head = Segment(seg.labels, nums[:WIDTH], False, seg.grid, seg.line_index)
            tail = Segment([], nums[WIDTH:], False, seg.grid, seg.line_index)
            split += [(head, row), (tail, None)]
        else:
            split.append((seg, row))
    matched = split

    # grid rows: read values by the header's column positions, not by order
    first_data = next((s.line_index for s, r in matched if r is not None and s.line_index is not None), len(lines))
    colmap = _column_map(lines, first_data) or (
        _rightmost_map(lines[first_data:]) if any(s.grid for s, _ in matched) else None
    )

    rows = [r for _, r in matched if r is not None]
    if any(r in ONLY_2021 for r in rows):
        variant = "gov2021"
    elif "other_processing" in rows:
        variant = "gov2019"
    else:
        text = squash(" ".join(line.text for line in lines))
        if "逾期不补正" in text or "收费通知" in text or "申请人无正当理由" in text:
            variant = "gov2021"
        elif "其他处理" in text and rows:
            variant = "gov2019"  # （六）其他处理 printed, none of its 2021 sub-rows
        elif not rows:
            variant = None
        else:
            variant = "gov2021" if (year_hint or 2021) >= 2021 else "gov2019"
    order = ROWS_2021 if variant != "gov2019" else ROWS_2019

    # a row named only by a group label inside the other template's layout is not a data row
    cleaned: list[tuple[Segment, str | None]] = []
    for seg, row in matched:
        if row is not None and row not in order:
            warnings.append(f"s3 row label {seg.label_raw[:20]!r} does not belong to the {variant} layout")
            row = None
        cleaned.append((seg, row))

    assigned = _assign(cleaned, order, warnings)

    cells: dict[str, CellValue] = {}
    pending = _read_rows(assigned, lines, colmap, cells, warnings)

    _settle_pending(cells, pending, tpl.get(variant or "gov2021"), warnings)

    out: dict[str, CellValue] = {}
    for row in order:
        for col in COLS:
            key = f"s3_{row}__{col}"
            out[key] = cells.get(key) or CellValue(None, MISSING, None)
    return Sec3Result(variant, out, warnings, found_rows=len(assigned))


def _assign(cleaned: list[tuple[Segment, str | None]], order: Sequence[str], warnings: list[str]) -> dict[str, Segment]:
    """Each row's segment. Values whose label is missing are placed between their neighbours when
    exactly one row fits there; a row printed twice keeps its first printing."""
    assigned: dict[str, Segment] = {}
    pos_of = {r: i for i, r in enumerate(order)}
    for i, (seg, row) in enumerate(cleaned):
        if row is None:
            if not seg.numbers:
                continue
            prev = next((pos_of[r] for _, r in reversed(cleaned[:i]) if r is not None), -1)
            nxt = next((pos_of[r] for _, r in cleaned[i + 1 :] if r is not None), len(order))
            gap = [order[p] for p in range(prev + 1, nxt) if order[p] not in assigned]
            if len(gap) == 1:
                row = gap[0]
                warnings.append(f"s3 row {row} has no label; placed by position between its neighbours")
            else:
                warnings.append(f"s3 values without a row label ({len(seg.numbers)} numbers) were not used")
                continue
        if row in assigned:
            if not assigned[row].values and seg.values:
                assigned[row] = seg
            else:
                warnings.append(f"s3 row {row} printed twice; the first is kept")
            continue
        assigned[row] = seg
    return assigned


@dataclass(frozen=True, slots=True)
class Pending:
    """A row whose cells the layout does not place, left for ``_align``."""

    row: str
    nums: list[Tok]
    left_aligned: bool  # values printed one per line: only the row's last cells can vanish
    readings: Sequence[Reading] | None  # the readings of a row whose blank marks are cells


def _read_rows(
    assigned: dict[str, Segment],
    lines: Sequence[Line],
    colmap: dict[str, int] | None,
    cells: dict[str, CellValue],
    warnings: list[str],
) -> list[Pending]:
    """Write the rows whose cells the layout places; return the others (row, numbers, whether
    left-aligned, the readings of a row whose blank marks are cells) for ``_align``."""
    pending: list[Pending] = []
    for row, seg in assigned.items():
        if seg.grid and colmap is not None and seg.line_index is not None:
            _, values, notes = _grid_values(lines[seg.line_index], colmap)
            for n in notes:
                warnings.append(f"s3 row {row}: {n}")
            _put(cells, row, values)
            continue
        vals = trim_values(seg.values, WIDTH)
        at_stake = seg.one_per_line and marks_at_stake(seg.values, vals, WIDTH)
        if len(vals) == WIDTH and not at_stake:
            _put(cells, row, vals)
            continue
        nums = [t for t in vals if t.kind == NUM]
        if at_stake:
            # its blank marks are cells: joins of broken numbers and the trimmed ends compete
            pending.append(Pending(row, nums, False, stream_readings(seg.values, vals, WIDTH)))
            warnings.append(f"s3 row {row} prints {len(seg.values)} cells for {WIDTH} columns")
            continue
        if len(nums) == WIDTH and not (seg.one_per_line and drops_printed_blank(vals)):
            _put(cells, row, nums)
            continue
        if seg.one_per_line and len(vals) < WIDTH and any(t.kind == BLANK for t in vals):
            # blank cells printed as lines of their own fix the places; the cells that are not
            # there at all are the row's last ones
            _put(cells, row, list(vals) + [None] * (WIDTH - len(vals)))
            warnings.append(f"s3 row {row} prints {len(vals)} cells for {WIDTH} columns; the last are missing")
            continue
        pending.append(Pending(row, nums, seg.one_per_line, None))
        warnings.append(f"s3 row {row} prints {len(nums)} numbers for {WIDTH} columns")
    return pending


def _settle_pending(
    cells: dict[str, CellValue], pending: list[Pending], template: tpl.Template, warnings: list[str]
) -> None:
    """Rows decided once others are known (a column's sum fixes a split in the 总计 row) go in later
    passes; what no pass decides is written missing in the last."""
    while pending:
        left = [
            p
            for p in pending
            if not _align(cells, p.row, p.nums, template, warnings, p.left_aligned, final=False, readings=p.readings)
        ]
        if len(left) == len(pending):
            for p in left:
                _align(cells, p.row, p.nums, template, warnings, p.left_aligned, readings=p.readings)
            return
        pending = left


def _cell(t: Tok | None) -> CellValue:
    if t is None:
        return CellValue(None, MISSING, None)
    if t.kind == NUM and t.number is not None:
        return CellValue(t.number.value, READ, t.raw.strip() or t.raw, t.locator, confidence=t.confidence)
    return CellValue(None, MISSING, t.raw.strip() if t.raw else "", t.locator)


def _put(cells: dict[str, CellValue], row: str, values: Sequence[Tok | None]) -> None:
    for col, t in zip(COLS, values):
        cells[f"s3_{row}__{col}"] = _cell(t)


def _completed(
    template: tpl.Template, keys: list[str], vals: dict[str, float | int | None]
) -> tuple[float | int | None, ...]:
    """The row's values with the blanks the rules determine filled in."""
    row_vals: list[float | int | None] = []
    for key in keys:
        if vals.get(key) is not None:
            row_vals.append(vals[key])
            continue
        implied = None
        for rule in template.rules:
            if key in rule.operands:
                implied = implied_value(rule, key, vals)
                if implied is not None:
                    break
        row_vals.append(None if implied is None else round(implied, 6))
    return tuple(row_vals)


def _align(
    cells: dict[str, CellValue],
    row: str,
    nums: list[Tok],
    template: tpl.Template,
    warnings: list[str],
    left_aligned: bool = False,
    final: bool = True,
    readings: Sequence[Reading] | None = None,
) -> bool:
    """Place k printed numbers into 7 columns when the layout does not say where the gaps are:
    try every placement, keep those the template's rules find most consistent, and use one only
    when all of them agree on every value of the row. With ``left_aligned`` (values printed one per
    line, where only the row's last cells can vanish) the left-aligned placement is the layout's own
    reading and is kept whenever the rules find it as consistent as any other. A reading that joins
    pieces of a number is used only when the rules hold for it and for no other reading. Returns
    whether the row was placed; unless ``final``, an undecided row is left for a later pass (when
    other rows are known) instead of being written missing."""
    k = len(nums)
    keys = [f"s3_{row}__{c}" for c in COLS]
    known = {key: c.value for key, c in cells.items() if c.status == READ}
    candidates, default = (readings, 0) if readings is not None else placements(nums, WIDTH)
    if not candidates:
        if not final:
            return False
        for key in keys:
            cells[key] = CellValue(None, MISSING, " ".join(t.raw for t in nums) or None)
        if k:
            warnings.append(f"s3 row {row}: {k} numbers cannot be placed in {WIDTH} columns; left missing")
        return True
    scored = []
    for cand in candidates:
        vals = dict(known)
        for key, t in zip(keys, cand):
            vals[key] = t.number.value if t is not None and t.number is not None else None
        scored.append((inconsistency(template, vals, keys), cand, vals))
    best = min(s for s, _, _ in scored)
    best_cands = [(c, v) for s, c, v in scored if s == best]
    joins = any(any(is_joined(t) for t in c) for c in candidates)

    outcomes = {_completed(template, keys, v) for _, v in best_cands}
    if left_aligned and k < WIDTH and any(c is candidates[default] for c, _ in best_cands):
        outcomes = {_completed(template, keys, v) for c, v in best_cands if c is candidates[default]}
    if len(outcomes) == 1 and not (joins and best):
        chosen = next((c for c, _ in best_cands if c is candidates[default]), best_cands[0][0])
        _put(cells, row, chosen)
        if best:
            warnings.append(f"s3 row {row}: its printed numbers break {best} rule(s) in every placement")
        for col, t in zip(COLS, chosen):
            if is_joined(t):
                warnings.append(
                    f"s3 row {row}: {t.raw!r} printed on {t.raw.count(chr(10)) + 1} lines, "
                    f"read as {t.norm} ({col}): the only reading the table's sums accept"
                )
        return True
    if not final:
        return False
    for key in keys:
        cells[key] = CellValue(None, MISSING, " ".join(t.raw for t in nums))
    if joins and best:
        warnings.append(
            f"s3 row {row}: {k} numbers for {WIDTH} columns, pieces of numbers broken across "
            "lines, and no reading the table's sums accept; left missing"
        )
    else:
        warnings.append(f"s3 row {row}: {k} numbers for {WIDTH} columns fit several placements; left missing")
    return True
