"""Numbers broken across lines: text saved one token per line can print 162 as "1" then "62".

Only the readings are proposed here; whether a row's numbers are joined is decided by the table's
rules in ``sec3._align`` (a join is used only when it is the one reading the sums accept).
"""
from __future__ import annotations

import itertools
import re
from typing import Sequence

from ..normalize import Number, nfkc
from .tokens import NUM, Tok

_DIGITS = re.compile(r"^\d+$")
MAX_JOINS = 3  # a row with more breaks than this is not worth guessing at


def _line(t: Tok) -> int | None:
    loc = t.locator or {}
    line = loc.get("line") if hasattr(loc, "get") else None
    return line if isinstance(line, int) else None


def joinable(a: Tok, b: Tok) -> bool:
    """``a`` and ``b`` may be two pieces of one number: whole numbers on consecutive lines of a text
    file, each alone on its line, the first not a lone 0 (no number is printed with a leading 0)."""
    if a.kind != NUM or b.kind != NUM or a.split or b.split:
        return False
    la, lb = _line(a), _line(b)
    ra, rb = nfkc(a.raw).strip(), nfkc(b.raw).strip()
    return (la is not None and lb == la + 1 and bool(_DIGITS.match(ra)) and bool(_DIGITS.match(rb))
            and not ra.startswith("0"))


def _merge(parts: Sequence[Tok]) -> Tok:
    raw = "\n".join(nfkc(t.raw).strip() for t in parts)
    value = int("".join(nfkc(t.raw).strip() for t in parts))
    first = parts[0]
    locator = dict(first.locator or {})
    locator["line_end"] = _line(parts[-1])
    return Tok(NUM, raw, str(value), Number(value), locator, first.col, first.span, first.continued,
               first.confidence, first.cell, False)


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


def is_joined(t: Tok | None) -> bool:
    return t is not None and "\n" in t.raw
