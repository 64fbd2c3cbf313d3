"""Numbers broken across lines: text saved one token per line can print 162 as "1" then "62".

The readings of a row that prints more (or fewer) cells than its table has columns are proposed
here; a reading is used only when it is the one the table's structure leaves: the template's sums
(``sec3._align`` for 三, ``settle`` for 四) or, for a table without sums (二), the column count.
"""

from __future__ import annotations

import itertools
import re
from typing import Sequence, TypeGuard

from .. import template as tpl
from ..normalize import Number, nfkc
from ..rules import inconsistency
from .tokens import NUM, Tok

# a reading of a row: its cells in column order, None where the reading places no printed value
Reading = Sequence[Tok | None]

_DIGITS = re.compile(r"^\d+$")
MAX_JOINS = 3  # a row with more breaks than this is not worth guessing at


def _line(t: Tok) -> int | None:
    loc = t.locator or {}
    line = loc.get("line") if hasattr(loc, "get") else None
    return line if isinstance(line, int) else None


def joinable(a: Tok, b: Tok) -> bool:
    """``a`` and ``b`` may be two pieces of one number: whole numbers on consecutive lines of a text
    file, each alone on its line. A piece starting with 0 may be the middle of a number ("1", "0",
    "5" for 105); that no number starts with 0 is checked on the joined groups (``join_readings``)."""
    if a.kind != NUM or b.kind != NUM or a.split or b.split:
        return False
    la, lb = _line(a), _line(b)
    ra, rb = nfkc(a.raw).strip(), nfkc(b.raw).strip()
    return la is not None and lb == la + 1 and bool(_DIGITS.match(ra)) and bool(_DIGITS.match(rb))


def _merge(parts: Sequence[Tok]) -> Tok:
    raw = "\n".join(nfkc(t.raw).strip() for t in parts)
    value = int("".join(nfkc(t.raw).strip() for t in parts))
    first = parts[0]
    locator = dict(first.locator or {})
    locator["line_end"] = _line(parts[-1])
    return Tok(
        NUM,
        raw,
        str(value),
        Number(value),
        locator,
        first.col,
        first.span,
        first.continued,
        first.confidence,
        first.cell,
        False,
    )


def join_readings(nums: Sequence[Tok], width: int) -> list[list[Tok]]:
    """Every way of reading ``nums`` as ``width`` values by joining pieces printed on consecutive
    lines (each reading joins len(nums) - width boundaries)."""
    n_joins = len(nums) - width
    if n_joins <= 0 or n_joins > MAX_JOINS:
        return []
    bounds = [i for i in range(len(nums) - 1) if joinable(nums[i], nums[i + 1])]
    out = []
    for chosen in itertools.combinations(bounds, n_joins):
        cut = set(chosen)
        groups: list[list[Tok]] = [[nums[0]]]
        for i in range(1, len(nums)):
            if i - 1 in cut:
                groups[-1].append(nums[i])
            else:
                groups.append([nums[i]])
        if any(len(g) > 1 and nfkc(g[0].raw).strip().startswith("0") for g in groups):
            continue
        out.append([g[0] if len(g) == 1 else _merge(g) for g in groups])
    return out


def is_joined(t: Tok | None) -> TypeGuard[Tok]:
    return t is not None and "\n" in t.raw


def _marks(values: Sequence[Tok]) -> int:
    return sum(1 for t in values if t.kind != NUM and t.norm)


def marks_at_stake(values: Sequence[Tok], trimmed: Sequence[Tok], width: int) -> bool:
    """A row printed one cell per line holds more cells than the table has columns and either its
    trimmed ends or its inside hold printed blank marks ("-"): the marks are cells of the row, so
    the surplus may be a number broken across lines, and reading it by dropping marks is a guess."""
    if len(values) <= width:
        return False
    return _marks(trimmed) < _marks(values) or (len(trimmed) > width and _marks(trimmed) > 0)


def unplaced(values: Sequence[Tok], trimmed: Sequence[Tok], width: int) -> bool:
    """A row printed one cell per line whose cells the layout alone does not place: more cells than
    columns, and printed marks at stake or a count that neither the trimmed row nor its numbers fit
    (a number broken across lines may explain the surplus)."""
    if len(values) <= width:
        return False
    if marks_at_stake(values, trimmed, width):
        return True
    return len(trimmed) != width and sum(1 for t in trimmed if t.kind == NUM) != width


def stream_readings(values: Sequence[Tok], trimmed: Sequence[Tok], width: int) -> list[list[Tok]]:
    """Every reading of such a row as ``width`` cells: the blank cells at its ends dropped (the
    layout's other explanation of a surplus: a label spanning two columns, a trailing separator),
    and pieces of numbers joined with the blank marks kept in their places (a mark is never part
    of a number, so no join crosses it). No reading when the surplus needs more joins than are tried:
    the readings might then not hold the true one, so none of them could be proved."""
    if len(values) - width > MAX_JOINS:
        return []
    out: list[list[Tok]] = []
    if len(trimmed) == width:
        out.append(list(trimmed))
    out += join_readings(values, width)
    if len(trimmed) != len(values):
        out += join_readings(trimmed, width)
    return out


def settle(
    readings: Sequence[Sequence[Tok]],
    keys: Sequence[str],
    template: tpl.Template,
    known: dict[str, float | int | None] | None = None,
) -> list[Tok] | None:
    """The one reading of a row the table proves: every reading the template's rules do not refute
    gives the row the same cells (with no rule on the row, that is the column count alone: a single
    reading). None when no reading or several different ones remain — the row is then not read."""
    outcomes: dict[tuple[float | int | None, ...], list[Tok]] = {}
    for reading in readings:
        vals = dict(known or {})
        vals.update({k: (t.number.value if t.number is not None else None) for k, t in zip(keys, reading)})
        if inconsistency(template, vals, keys) == 0:
            outcomes.setdefault(tuple(vals[k] for k in keys), list(reading))
    return next(iter(outcomes.values())) if len(outcomes) == 1 else None


def joined_note(where: str, keys: Sequence[str], reading: Sequence[Tok]) -> list[str]:
    """The warnings that say which cells were read by joining pieces, and why."""
    return [
        f"{where}: {t.raw!r} printed on {t.raw.count(chr(10)) + 1} lines, read as {t.norm} ({k}): "
        "the only reading the table's structure accepts"
        for k, t in zip(keys, reading)
        if is_joined(t)
    ]


def placements(nums: list[Tok], width: int) -> tuple[list[Reading], int]:
    """The readings of k printed numbers (no blank marks among them) as the row's ``width`` cells:
    gaps placed anywhere (k < width), or numbers dropped (k > width, a number in the label cell) and
    pieces of a number broken across lines joined. The second value is the default reading's index."""
    k = len(nums)
    candidates: list[Reading] = []
    if 0 < k < width and width - k <= 2:
        for positions in itertools.combinations(range(width), k):
            cand: list[Tok | None] = [None] * width
            for p, t in zip(positions, nums):
                cand[p] = t
            candidates.append(cand)
        candidates.sort(key=lambda c: [x is None for x in c])
        return candidates, 0  # numbers from the left, the gap at the end (the 总计 cell, seed 004)
    if width < k <= width + 2:
        for drop in itertools.combinations(range(k), k - width):
            candidates.append([t for i, t in enumerate(nums) if i not in drop])
    candidates += join_readings(nums, width)
    return candidates, 0  # the first number sat in the (missing) label cell (seed 001)
