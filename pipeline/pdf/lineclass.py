"""What a text line is to the borderless-table finder: a row line, a lone number, several
fragments, or plain text; and the zone of a table's value columns."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .textlines import Fragment, PhysLine, has_cjk2

ROW, NUM, MULTI, TEXT = "row", "num", "multi", "text"
MAX_BETWEEN = 6  # at most this many lines between two row lines of one table
MAX_ROW_GAP = 6.0  # and at most this many line heights apart (same page)
MAX_HEADER = 8


def line_kind(frags: Sequence[Fragment]) -> str:
    nums = [f for f in frags if f.numeric]
    if len(nums) >= 2 or (len(frags) >= 2 and nums and not frags[0].numeric):
        return ROW
    if nums and len(nums) == len(frags):
        return NUM
    if len(frags) >= 2:
        return MULTI
    return TEXT


def doc_y(line: PhysLine) -> float:
    """A document-wide vertical position growing downwards (pages far apart)."""
    return line.page * 20000.0 - line.cy


@dataclass(frozen=True, slots=True)
class Zone:
    value_left: float
    value_right: float
    size: float
    table_left: float = float("inf")  # the leftmost glyph of the row lines

    def label_only(self, line: PhysLine) -> bool:
        return all(f.x1 <= self.value_left + 0.5 * self.size for f in line.fragments)

    def in_values(self, f: Fragment) -> bool:
        return f.x0 >= self.value_left - self.size and f.x1 <= self.value_right + 2 * self.size

    def header_like(self, line: PhysLine) -> bool:
        """Text over the value columns: a caption or a header, which a table body never holds."""
        return any(
            not f.numeric and f.x1 > self.value_left + 0.5 * self.size and has_cjk2(f.text) for f in line.fragments
        )


def zone_of(lines: list[PhysLine]) -> Zone:
    nums = [f for ln in lines for f in ln.fragments if f.numeric]
    sizes = sorted(ln.size for ln in lines)
    return Zone(
        min(f.x0 for f in nums), max(f.x1 for f in nums), sizes[len(sizes) // 2] or 10.0, min(ln.box[0] for ln in lines)
    )


def close(a: PhysLine, b: PhysLine, limit: float) -> bool:
    if a.page != b.page:
        return True  # across a page break: only furniture lay between
    return abs(a.cy - b.cy) <= limit * max(a.size, b.size, 1.0)
