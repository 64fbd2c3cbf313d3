"""Plain text (already extracted from a report) → Layout: one Line per text line, cells at tabs
(or between the pipes of a Markdown table row)."""

from __future__ import annotations

import re

from .layout import Cell, Layout, Line
from .limits import Limits
from .record import ParseError


def decode_text(data: bytes) -> tuple[str, str]:
    """Decode report text: BOMs first, then strict UTF-8, then GB18030 (a superset of GBK/GB2312)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace"), "utf-16"
    for enc in ("utf-8", "gb18030"):
        try:
            return data.decode(enc), enc
        except UnicodeDecodeError:
            continue
    return data.decode("utf-8", errors="replace"), "utf-8 (with replacements)"


def _uniform_trailing_blanks(raws: list[str]) -> bool:
    """Every line ends in blanks or tabs (an export that pads each line): the padding says
    nothing, while a few lines ending in tabs are rows with blank cells at the end."""
    filled = [r for r in raws if r.strip()]
    padded = sum(1 for r in filled if r[-1] in " \t\u3000")
    return len(filled) >= 5 and padded >= 0.9 * len(filled)


_PIPE_ROW = re.compile(r"^[ \t\u3000]*\|.*\|.*\|[ \t\u3000]*$")  # two cells or more
_PIPE_RULE = re.compile(r"^[ \t\u3000]*\|(?:[ \t]*:?-{3,}:?[ \t]*\|)+[ \t\u3000]*$")


def _cells_of(raw: str, pipe_row: bool) -> list[str] | None:
    """The cells of one line: its tab-separated parts; a ``| a | b |`` row of a text of Markdown
    tables (converters such as pandoc print a report's tables that way) gives its cells, and its
    ``|---|---|`` rule line nothing (None)."""
    if pipe_row:
        if _PIPE_RULE.match(raw):
            return None
        inner = raw.strip(" \t\u3000")[1:-1]
        return [c.strip(" ").replace("\\|", "|") for c in re.split(r"(?<!\\)\|", inner)]
    return raw.split("\t")


def text_to_layout(data: bytes, limits: Limits | None = None) -> Layout:
    limits = limits or Limits()
    n = max(data.count(b"\n"), data.count(b"\r"))
    if n > limits.max_lines:
        raise ParseError(f"text file has {n:,} lines, more than the limit of {limits.max_lines:,}", "too_large")
    tabs = data.count(b"\t")
    if tabs > limits.max_cells:
        raise ParseError(
            f"text file has {tabs:,} tab-separated cells, more than the limit of {limits.max_cells:,}", "too_large"
        )
    text, encoding = decode_text(data)
    if not text.strip():
        raise ParseError("empty document: no text", "empty")
    raws = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if _uniform_trailing_blanks(raws):
        raws = [r.rstrip(" \t\u3000") for r in raws]
    pipe_rows = [bool(_PIPE_ROW.match(r)) for r in raws]
    pipes = sum(pipe_rows) >= 3  # a text of Markdown tables, not a stray line between pipes
    lines = []
    for i, (raw, pipe_row) in enumerate(zip(raws, pipe_rows), start=1):
        loc = {"line": i}
        parts = _cells_of(raw, pipes and pipe_row)
        if parts is None:
            continue
        lines.append(Line(tuple(Cell(p, locator=loc) for p in parts), locator=loc))
    return Layout(tuple(lines), format="txt", converter=f"text ({encoding})", pages=None)
