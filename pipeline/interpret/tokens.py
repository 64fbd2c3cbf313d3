"""Lines → tokens (label / number / blank) → segments (a label and the values printed after it).

A *segment* is what one table row prints: its label text and its value cells. Rows come from three
kinds of source and the segmenter treats each as honestly as it can:

- grid rows (HTML, DOCX, PDF tables): one line is one row; blank cells are kept (positions known);
- tab rows (text with tab-separated cells, seeds 002/003): one line is one row;
- streams (text with one cell per line, seeds 000/001/004): a row is a label followed by numbers,
  ended by the next label or an empty line. A line holding only a tab is a blank cell.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping, Sequence

from ..layout import Cell, Line
from ..normalize import Number, is_dash, nfkc, parse_number, squash

LABEL, NUM, BLANK = "label", "num", "blank"

_SPLIT_RE = re.compile(r"[ \t\u3000\u00a0]+")
_GLUED_RE = re.compile(r"^(.*[\u4e00-\u9fff）)”])(\d+(?:\.\d+)?)$")
_PAGE_NO_RE = re.compile(
    r"^\s*(?:[-—–－―~]{1,3}\s*\d{1,4}\s*[-—–－―~]{1,3}|第\s*\d{1,4}\s*页(?:\s*[/,，]?\s*共\s*\d{1,4}\s*页)?"
    r"|\d{1,4}\s*/\s*\d{1,4}|page\s*\d{1,4}(?:\s*of\s*\d{1,4})?)\s*$",
    re.I,
)
_DASH_PARTS = frozenset(("-", "—", "–", "－", "/", "／", "——", "―"))


@dataclass(frozen=True, slots=True)
class Tok:
    kind: str
    raw: str
    norm: str
    number: Number | None = None
    locator: Mapping[str, Any] | None = None
    col: int | None = None
    span: int = 1
    continued: bool = False
    confidence: float | None = None
    cell: int = 0  # index of the cell in its line
    split: bool = False  # one of several values printed in one text cell, separated by spaces


def _tok(text: str, cell: Cell, index: int, raw: str | None = None, split: bool = False) -> Tok:
    raw = text if raw is None else raw
    norm = squash(text)
    num = parse_number(text)
    if num is not None:
        kind = NUM
    elif not norm or is_dash(text):
        kind = BLANK
    else:
        kind = LABEL
    return Tok(kind, raw, norm, num, cell.locator, cell.col, cell.span, cell.continued, cell.confidence, index, split)


def is_page_number(line: Line) -> bool:
    """A page footer such as "- 3 -", "—3—", "第3页 共5页" (never a table value)."""
    if line.table is not None:
        return False
    return bool(_PAGE_NO_RE.match(nfkc(line.text)))


def line_tokens(line: Line) -> list[Tok]:
    """Tokens of a line. Cells without grid positions (plain text) are split further where a label is
    followed by space-separated numbers ("规章 0 0 0") or a cell holds several numbers ("0 0 0")."""
    out: list[Tok] = []
    for index, cell in enumerate(line.cells):
        if cell.col is not None or not cell.text.strip():
            out.append(_tok(cell.text, cell, index))
            continue
        parts = [p for p in _SPLIT_RE.split(cell.text.strip()) if p]
        if parts and parse_number(parts[0]) is None:
            glued = _GLUED_RE.match(parts[0])  # "行政许可1841": a label with its number attached
            if glued and parse_number(glued.group(1)) is None:
                parts[:1] = [glued.group(1), glued.group(2)]
        if len(parts) <= 1:
            out.append(_tok(cell.text, cell, index, raw=cell.text.strip() or cell.text))
            continue
        nums = [parse_number(p) is not None or p in _DASH_PARTS for p in parts]
        k = len(parts)
        while k > 0 and nums[k - 1]:
            k -= 1
        if k == len(parts):  # no trailing numbers: an ordinary label with spaces
            out.append(_tok(cell.text, cell, index, raw=cell.text.strip()))
            continue
        if k > 0:
            out.append(_tok(" ".join(parts[:k]), cell, index))
        for p in parts[k:]:
            out.append(_tok(p, cell, index, split=len(parts) - k > 1))
    return out


@dataclass(slots=True)
class Segment:
    labels: list[Tok] = field(default_factory=list)
    values: list[Tok] = field(default_factory=list)
    positional: bool = False  # values come from one row whose cell structure is known
    grid: bool = False
    line_index: int | None = None
    window: bool = False  # values cut from the region's common value columns (tab rows)

    @property
    def label(self) -> str:
        return "".join(t.norm for t in self.labels)

    @property
    def label_raw(self) -> str:
        return "".join(t.raw for t in self.labels)

    @property
    def numbers(self) -> list[Tok]:
        return [t for t in self.values if t.kind == NUM]

    @property
    def one_per_line(self) -> bool:
        """Values printed one per line: blank cells show as lines of their own, so cells that are
        not there at all can only be the row's last ones."""
        return not self.positional and bool(self.values) and not any(t.split for t in self.values)


def _is_row_line(line: Line, toks: Sequence[Tok], width: int | None = None) -> bool:
    if line.table is not None:
        return True
    non_blank = [t for t in toks if t.kind != BLANK]
    if len(line.cells) >= 2 and len(non_blank) >= 2 and any(t.kind == NUM for t in toks):
        return True
    # a tab row that prints its label and only blank cells (zeros left blank) is still a row
    if not width:
        return False
    return (
        len(line.cells) > width
        and any(t.kind == LABEL for t in toks)
        and sum(1 for c in line.cells if not c.text.strip()) >= width
    )


def value_window(rows: Sequence[Sequence[Tok]], width: int) -> int | None:
    """The cell index where the values start in tab rows whose cells keep their places (a table
    exported with one field per grid column): the start most rows of ``width`` values agree on."""
    votes: Counter[int] = Counter()
    for toks in rows:
        pos = [t.cell for t in toks if t.kind == NUM]
        if len(pos) >= 2 and pos[-1] - pos[0] == width - 1:
            votes[pos[0]] += 1
    if not votes:
        return None
    start, n = votes.most_common(1)[0]
    return start if n >= 3 and n * 2 > sum(votes.values()) else None


def _windowed(toks: Sequence[Tok], start: int, width: int) -> list[Tok] | None:
    by_cell: dict[int, Tok] = {}
    for t in toks:
        if t.split:
            return None
        by_cell[t.cell] = t
    if any(t.kind == NUM and not start <= t.cell < start + width for t in toks):
        return None
    inside = [by_cell.get(i) for i in range(start, start + width)]
    if any(t is not None and t.kind == LABEL for t in inside):
        return None
    return [t if t is not None else Tok(BLANK, "", "") for t in inside]


def segments(lines: Sequence[Line], width: int | None = None) -> list[Segment]:
    """Group the lines of a table region into segments (see module docstring). With ``width`` (the
    number of value columns), tab rows whose fields keep their grid places are cut by position."""
    out: list[Segment] = []
    pending = Segment()
    tokenised = [(line, line_tokens(line)) for line in lines]
    start: int | None = None
    if width:
        start = value_window(
            [toks for line, toks in tokenised if line.table is None and _is_row_line(line, toks)], width
        )

    def flush() -> None:
        nonlocal pending
        if pending.labels or pending.values:
            out.append(pending)
        pending = Segment()

    for index, (line, toks) in enumerate(tokenised):
        if is_page_number(line):
            continue
        if all(t.kind == BLANK and not t.norm for t in toks):
            if line.table is not None:
                continue
            if len(line.cells) <= 1:
                if pending.values:
                    flush()  # an empty line ends a row of a one-cell-per-line stream
            elif pending.values or pending.labels:
                pending.values.append(toks[-1])  # a lone tab: a blank cell of the row
            continue
        if _is_row_line(line, toks, width):
            last_label = max((i for i, t in enumerate(toks) if t.kind == LABEL), default=-1)
            labels = [t for t in toks[: last_label + 1] if t.kind == LABEL]
            values = list(toks[last_label + 1 :])
            windowed = _windowed(toks, start, width) if start is not None and width and line.table is None else None
            if pending.values:
                flush()
            seg = Segment(
                pending.labels + labels,
                windowed if windowed is not None else values,
                positional=True,
                grid=line.table is not None,
                line_index=index,
                window=windowed is not None,
            )
            pending = Segment()
            out.append(seg)
            continue
        for t in toks:
            if t.kind == LABEL:
                if pending.values and any(v.kind == NUM for v in pending.values):
                    flush()
                elif pending.values:  # blank cells before a label belonged to no row
                    pending.values = []
                if pending.line_index is None:
                    pending.line_index = index
                pending.labels.append(t)
            elif t.kind == NUM:
                pending.values.append(t)
            elif t.norm and (pending.values or pending.labels):
                pending.values.append(t)  # a printed dash among a row's values
    flush()
    return out


def latest_match(label: str, pairs: Iterable[tuple[str, str]]) -> tuple[str | None, int]:
    """Of ``(key, word)`` pairs found in ``label``, the key whose word ends latest (the longer word on a
    tie): group labels, headers and the tail of the previous label come before a row's own label
    when they are glued together. Returns (key, end position) — (None, -1) if none is found."""
    best: str | None = None
    best_end, best_len = -1, 0
    for key, word in pairs:
        pos = label.rfind(word)
        if pos < 0:
            continue
        end = pos + len(word)
        if end > best_end or (end == best_end and len(word) > best_len):
            best, best_end, best_len = key, end, len(word)
    return best, best_end


def trim_values(values: list[Tok], width: int) -> list[Tok]:
    """Drop blank cells at the ends of a row's values while there are more cells than columns
    (label cells spanning two columns and trailing separators leave such blanks)."""
    vals = list(values)
    while len(vals) > width and vals and vals[-1].kind == BLANK:
        vals.pop()
    while len(vals) > width and vals and vals[0].kind == BLANK:
        vals.pop(0)
    return vals


def drops_printed_blank(values: Sequence[Tok]) -> bool:
    """Reading only the numbers of ``values`` would drop a printed blank mark ("-", "/"): a cell of
    the row, so the row prints more cells than the table has (a number broken across lines?) and
    its numbers cannot be placed by dropping the blanks."""
    return any(t.kind == BLANK and t.norm for t in values)
