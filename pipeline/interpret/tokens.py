"""Lines → tokens (label / number / blank) → segments (a label and the values printed after it).

A *segment* is what one table row prints: its label text and its value cells. Rows come from three
kinds of source and the segmenter treats each as honestly as it can:

- grid rows (HTML, DOCX, PDF tables): one line is one row; blank cells are kept (positions known);
- tab rows (text with tab-separated cells, seeds 002/003): one line is one row;
- streams (text with one cell per line, seeds 000/001/004): a row is a label followed by numbers,
  ended by the next label or an empty line.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Mapping, Sequence

from ..layout import Line
from ..normalize import Number, is_dash, parse_number, squash

LABEL, NUM, BLANK = "label", "num", "blank"

_SPLIT_RE = re.compile(r"[ \t\u3000\u00a0]+")
_GLUED_RE = re.compile(r"^(.*[\u4e00-\u9fff）)”])(\d+(?:\.\d+)?)$")
_PAGE_NO_RE = re.compile(r"^(?:[-—–－―~]+\d{1,4}[-—–－―~]+|第\d{1,4}页(?:[/,，]?共\d{1,4}页)?|\d{1,4}/\d{1,4}|page\d{1,4}(?:of\d{1,4})?)$",
                         re.I)


def is_page_number(line: Line) -> bool:
    """A page footer such as "- 3 -", "—3—", "第3页 共5页" (never a table value)."""
    if line.table is not None:
        return False
    return bool(_PAGE_NO_RE.match(squash(line.text)))


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


def _tok(text: str, cell, raw: str | None = None) -> Tok:
    raw = text if raw is None else raw
    norm = squash(text)
    num = parse_number(text)
    if num is not None:
        kind = NUM
    elif not norm or is_dash(text):
        kind = BLANK
    else:
        kind = LABEL
    return Tok(kind, raw, norm, num, cell.locator, cell.col, cell.span, cell.continued, cell.confidence)


def line_tokens(line: Line) -> list[Tok]:
    """Tokens of a line. Cells without grid positions (plain text) are split further where a label is
    followed by space-separated numbers ("规章 0 0 0") or a cell holds several numbers ("0 0 0")."""
    out: list[Tok] = []
    for cell in line.cells:
        if cell.col is not None or not cell.text.strip():
            out.append(_tok(cell.text, cell))
            continue
        parts = [p for p in _SPLIT_RE.split(cell.text.strip()) if p]
        if parts and parse_number(parts[0]) is None:
            glued = _GLUED_RE.match(parts[0])  # "行政许可1841": a label with its number attached
            if glued and parse_number(glued.group(1)) is None:
                parts[:1] = [glued.group(1), glued.group(2)]
        if len(parts) <= 1:
            out.append(_tok(cell.text, cell, raw=cell.text.strip() or cell.text))
            continue
        nums = [parse_number(p) is not None for p in parts]
        k = len(parts)
        while k > 0 and nums[k - 1]:
            k -= 1
        if k == len(parts):  # no trailing numbers: an ordinary label with spaces
            out.append(_tok(cell.text, cell, raw=cell.text.strip()))
            continue
        if k > 0:
            label = " ".join(parts[:k])
            out.append(_tok(label, cell))
        for p in parts[k:]:
            out.append(_tok(p, cell))
    return out


@dataclass(slots=True)
class Segment:
    labels: list[Tok] = field(default_factory=list)
    values: list[Tok] = field(default_factory=list)
    positional: bool = False  # values come from one row whose cell structure is known
    grid: bool = False
    line_index: int | None = None

    @property
    def label(self) -> str:
        return "".join(t.norm for t in self.labels)

    @property
    def label_raw(self) -> str:
        return "".join(t.raw for t in self.labels)

    @property
    def numbers(self) -> list[Tok]:
        return [t for t in self.values if t.kind == NUM]


def _is_row_line(line: Line, toks: Sequence[Tok]) -> bool:
    if line.table is not None:
        return True
    non_blank = [t for t in toks if t.kind != BLANK]
    return len(line.cells) >= 2 and len(non_blank) >= 2 and any(t.kind == NUM for t in toks)


def segments(lines: Sequence[Line]) -> list[Segment]:
    """Group the lines of a table region into segments (see module docstring)."""
    out: list[Segment] = []
    pending = Segment()

    def flush():
        nonlocal pending
        if pending.labels or pending.values:
            out.append(pending)
        pending = Segment()

    for index, line in enumerate(lines):
        if is_page_number(line):
            continue
        toks = line_tokens(line)
        if all(t.kind == BLANK and not t.norm for t in toks):
            if line.table is not None:
                continue
            if len(line.cells) <= 1:
                if pending.values:
                    flush()  # an empty line ends a row of a one-cell-per-line stream
            elif pending.values:
                pending.values.append(toks[-1])  # a lone blank cell ("\t") among numbers
            continue
        if _is_row_line(line, toks):
            last_label = max((i for i, t in enumerate(toks) if t.kind == LABEL), default=-1)
            labels = [t for t in toks[: last_label + 1] if t.kind == LABEL]
            values = list(toks[last_label + 1:])
            if pending.values:
                flush()
            seg = Segment(pending.labels + labels, values, positional=True,
                          grid=line.table is not None, line_index=index)
            pending = Segment()
            out.append(seg)
            continue
        for t in toks:
            if t.kind == LABEL:
                if pending.values:
                    flush()
                if pending.line_index is None:
                    pending.line_index = index
                pending.labels.append(t)
            elif t.kind == NUM:
                pending.values.append(t)
            elif t.norm and (pending.values or pending.labels):
                pending.values.append(t)  # a printed dash among a row's values
    flush()
    return out


def trim_values(values: list[Tok], width: int) -> list[Tok]:
    """Drop blank cells at the ends of a row's values while there are more cells than columns
    (label cells spanning two columns and trailing separators leave such blanks)."""
    vals = list(values)
    while len(vals) > width and vals and vals[-1].kind == BLANK:
        vals.pop()
    while len(vals) > width and vals and vals[0].kind == BLANK:
        vals.pop(0)
    return vals
