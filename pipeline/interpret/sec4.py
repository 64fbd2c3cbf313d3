"""Section 四 (行政复议、行政诉讼): one data row of 15 cells under a three-level header."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Sequence

from .. import template as tpl
from ..layout import Line
from ..normalize import squash
from ..record import MISSING, CellValue
from .sec3 import _cell
from .splits import joined_note, settle, stream_readings, unplaced
from .tokens import LABEL, NUM, Tok, drops_printed_blank, line_tokens, segments, trim_values

KEYS = tpl.get("gov2021").section_keys(4)
WIDTH = len(KEYS)  # 15
SUBHEADS = ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")


@dataclass
class Sec4Result:
    cells: dict[str, CellValue]
    warnings: list[str] = field(default_factory=list)
    found: bool = False


def _header_cols(lines: Sequence[Line]) -> list[int] | None:
    """Grid columns of the 15 sub-headers (结果维持 … 总计 three times), left to right."""
    cols: dict[int, str] = {}
    for line in lines:
        if line.table is None:
            continue
        for cell in line.cells:
            if cell.col is None or cell.span != 1:
                continue
            s = squash(cell.text)
            if s in SUBHEADS or s == "尚未审结":
                cols.setdefault(cell.col, s)
    ordered = sorted(cols)
    return ordered if len(ordered) == WIDTH else None


def parse(lines: Sequence[Line]) -> Sec4Result:
    warnings: list[str] = []
    cols = _header_cols(lines)
    if cols is not None:
        for line in lines:
            if line.table is None:
                continue
            toks = {t.col: t for t in line_tokens(line) if t.col is not None}
            row = [toks.get(c) for c in cols]
            if sum(1 for t in row if t is not None and t.kind == NUM) >= 1 and not any(
                t is not None and t.kind == LABEL for t in row
            ):
                return Sec4Result({k: _cell(t) for k, t in zip(KEYS, row)}, warnings, True)
    # text layouts: the first row after the header that prints numbers
    for seg in segments(lines):
        nums = [t for t in seg.values if t.kind == NUM]
        if not nums:
            continue
        vals = trim_values(seg.values, WIDTH)
        if seg.one_per_line and unplaced(seg.values, vals, WIDTH):
            return _settled(seg.values, vals, warnings)
        if len(vals) == WIDTH:
            return Sec4Result({k: _cell(t) for k, t in zip(KEYS, vals)}, warnings, True)
        nums = [t for t in vals if t.kind == NUM]
        if len(nums) == WIDTH and not (seg.one_per_line and drops_printed_blank(vals)):
            return Sec4Result({k: _cell(t) for k, t in zip(KEYS, nums)}, warnings, True)
        if seg.one_per_line and len(vals) < WIDTH:
            # one value per line: blanks are lines of their own, absent cells are the last ones
            warnings.append(f"s4 prints {len(vals)} cells for {WIDTH}; the last are missing")
            padded = list(vals) + [None] * (WIDTH - len(vals))
            return Sec4Result({k: _cell(t) for k, t in zip(KEYS, padded)}, warnings, True)
        warnings.append(f"s4 prints {len(nums)} numbers for {WIDTH} cells and their places are unknown; left missing")
        return Sec4Result({k: CellValue(None, MISSING, " ".join(t.raw for t in nums)) for k in KEYS}, warnings, True)
    return Sec4Result({k: CellValue(None, MISSING, None) for k in KEYS}, warnings, False)


def _settled(values: Sequence[Tok], trimmed: Sequence[Tok], warnings: list[str]) -> Sec4Result:
    """More cells than 15, one per line: a number may be broken across lines. The row is read only
    when one reading is all the 总计 sums (总计 = 维持 + 纠正 + 其他 + 尚未审结, three times) and the
    column count leave; otherwise its cells stay missing."""
    chosen = settle(stream_readings(values, trimmed, WIDTH), KEYS, tpl.get("gov2021"))
    if chosen is None:
        warnings.append(
            f"s4 prints {len(values)} cells for {WIDTH} and no single reading of them that "
            "its sums accept; left missing"
        )
        return Sec4Result({k: CellValue(None, MISSING, " ".join(t.raw for t in values)) for k in KEYS}, warnings, True)
    warnings += joined_note("s4", KEYS, chosen)
    return Sec4Result({k: _cell(t) for k, t in zip(KEYS, chosen)}, warnings, True)
