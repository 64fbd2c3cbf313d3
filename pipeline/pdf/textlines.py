"""Characters into physical lines, fragments and cell text (one sort, no quadratic passes)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from .model import Box, Char, union_box

LINE_TOL = 0.45  # chars whose centres differ by less than this × size share a line
COLUMN_GAP = 1.0  # a gap of this × size or more separates fragments (table columns)
WORD_GAP = 0.2  # a gap of this × size between Latin letters or digits is a word space
DIGIT_GAP = 0.3  # digits this far apart are two numbers (narrow borderless columns)

_NUMERIC = re.compile(r"^[+-]?[0-9〇○]+(?:[.,][0-9〇○]+)*%?$")
_QUANTITY = re.compile(r"^[+-]?[0-9]+(?:[.,][0-9]+)*(?:万元|亿元|元|万|件|条|个|项|次|份)$")  # 413.0984万元
_LATIN = re.compile(r"[A-Za-z0-9]")


@dataclass(frozen=True, slots=True)
class Fragment:
    """A run of characters on one line without a column-wide gap."""

    chars: tuple[Char, ...]
    text: str
    box: Box

    @property
    def x0(self) -> float:
        return self.box[0]

    @property
    def x1(self) -> float:
        return self.box[2]

    @property
    def cx(self) -> float:
        return (self.box[0] + self.box[2]) / 2

    @property
    def numeric(self) -> bool:
        """A value: a number, or a number with its unit (413.0984万元)."""
        return is_value(self.text)


@dataclass(frozen=True, slots=True)
class PhysLine:
    """One physical text line of a page (outside ruled tables)."""

    page: int
    chars: tuple[Char, ...]  # left to right
    fragments: tuple[Fragment, ...]
    box: Box
    size: float  # median glyph size

    @property
    def text(self) -> str:
        return " ".join(f.text for f in self.fragments)

    @property
    def top(self) -> float:
        return self.box[3]

    @property
    def cy(self) -> float:
        return (self.box[1] + self.box[3]) / 2


def has_cjk2(text: str) -> bool:
    """Two or more CJK characters: label text, not a value."""
    n = 0
    for ch in text:
        if "\u3400" <= ch <= "\u9fff":
            n += 1
            if n >= 2:
                return True
    return False


def is_numeric(text: str) -> bool:
    return bool(_NUMERIC.match(text))


def is_value(text: str) -> bool:
    """A number, or a number followed by a unit of count or money (56件, 413.0984万元)."""
    return bool(_NUMERIC.match(text) or _QUANTITY.match(text))


def numeric_text(text: str) -> str:
    """A cell's text with 〇/○ read as 0 and spaces removed when the cell is a number."""
    compact = "".join(text.split())
    if compact and is_numeric(compact):
        return compact.replace("〇", "0").replace("○", "0")
    return text


def group_lines(chars: Sequence[Char]) -> list[list[Char]]:
    """Physical lines, top to bottom, each left to right."""
    ordered = sorted(chars, key=lambda c: -c.cy)
    lines: list[list[Char]] = []
    cur: list[Char] = []
    cur_cy = cur_size = 0.0
    for ch in ordered:
        if cur and abs(ch.cy - cur_cy) <= LINE_TOL * max(ch.size, cur_size, 1.0):
            cur.append(ch)
            n = len(cur)
            cur_cy += (ch.cy - cur_cy) / n
            cur_size = max(cur_size, ch.size)
        else:
            if cur:
                lines.append(cur)
            cur, cur_cy, cur_size = [ch], ch.cy, ch.size
    if cur:
        lines.append(cur)
    for line in lines:
        line.sort(key=lambda c: c.x0)
    return lines


def join_chars(chars: Sequence[Char]) -> str:
    """Text of a left-to-right run: word spaces between Latin/digit runs, a space at wide gaps."""
    out: list[str] = []
    prev: Char | None = None
    for ch in chars:
        if prev is not None:
            gap = ch.x0 - prev.x1
            size = max(ch.size, prev.size, 1.0)
            if gap >= COLUMN_GAP * size:
                out.append(" ")
            elif (
                gap >= WORD_GAP * size
                and prev.text[-1].isascii()
                and ch.text[0].isascii()
                and (_LATIN.match(prev.text[-1]) or _LATIN.match(ch.text[0]))
                and not (prev.text[-1].isdigit() and ch.text[0].isdigit())
            ):
                out.append(" ")
        out.append(ch.text)
        prev = ch
    return "".join(out)


def split_fragments(chars: Sequence[Char]) -> list[list[Char]]:
    """Split a left-to-right line at column-wide gaps (and between two numbers a space apart)."""
    frags: list[list[Char]] = []
    for ch in chars:
        if frags:
            prev = frags[-1][-1]
            gap, size = ch.x0 - prev.x1, max(ch.size, prev.size, 1.0)
            digits = prev.text[-1:].isdigit() and ch.text[:1].isdigit()
            if gap < (DIGIT_GAP if digits else COLUMN_GAP) * size:
                frags[-1].append(ch)
                continue
        frags.append([ch])
    return frags


def _box(chars: Sequence[Char]) -> Box:
    return union_box((c.x0, c.y0, c.x1, c.y1) for c in chars)


def make_fragment(chars: Sequence[Char]) -> Fragment:
    chars = tuple(chars)
    return Fragment(chars, join_chars(chars), _box(chars))


def page_lines(page: int, chars: Sequence[Char]) -> list[PhysLine]:
    """The physical lines of a page's free characters, top to bottom."""
    out = []
    for line in group_lines(chars):
        frags = tuple(make_fragment(f) for f in split_fragments(line))
        sizes = sorted(c.size for c in line)
        out.append(PhysLine(page, tuple(line), frags, _box(line), sizes[len(sizes) // 2]))
    return out


def cell_text(chars: Sequence[Char]) -> str:
    """A cell's text: its lines top to bottom joined with no separator (wrapped labels and numbers)."""
    if not chars:
        return ""
    text = "".join(join_chars(line) for line in group_lines(chars))
    return numeric_text(" ".join(text.split()))


def min_conf(chars: Sequence[Char]) -> float | None:
    confs = [c.conf for c in chars if c.conf is not None]
    return min(confs) if confs else None
