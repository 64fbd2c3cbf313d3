"""A sample report as plain text, laid out like text extracted from real reports (the five seeds).

Layouts:
- ``tabbed`` (seeds 002, 003): one table row per line, grid cells separated by tabs; merged cells
  leave empty fields, wrapped labels are joined by spaces ("三、 本年 度办 理结 果").
- ``one_per_line`` (seeds 001, 004): every cell on its own tab-indented line, rows separated by a
  blank line; a cell continued from the row above prints as a lone tab; a wrapped label goes on
  over untabbed lines ("\\t（三）⏎不予⏎公开").
- ``spaces`` (seed 000): label and values of a row separated by single spaces, labels wrapped over
  lines separated by blank lines. Single spaces cannot show an empty cell, so a blank cell prints as
  the report's blank mark "-" (dashes for blank cells are seen in real reports, template_spec §6.1).

Quirks (also read from ``report.quirks``): ``wrap_labels``, ``wrap_paragraphs`` (hard-wrapped body
text, blank lines between lines, seed 000), ``padding`` (U+3000 / NBSP around values, seeds 001 and
004), ``markdown`` (seed 003), ``bookmark`` ("[bookmark: _GoBack]" before the title, seed 001),
``omit_trailing_blank`` (a blank last cell of a row is not printed at all, seed 004),
``group_label_late`` (a group label printed on the group's second line, seed 003),
``dash_blanks`` (blank cells print "-" in every layout).
"""

from __future__ import annotations

from typing import Iterable

from .grids import Grid, GridCell, blocks
from .model import SampleReport

LAYOUTS = ("tabbed", "one_per_line", "spaces")
TEXT_QUIRKS = frozenset(
    {
        "wrap_labels",
        "wrap_paragraphs",
        "padding",
        "markdown",
        "bookmark",
        "omit_trailing_blank",
        "group_label_late",
        "dash_blanks",
    }
)
_PADS = ("\u3000\u30000", "\xa0\u30000", "\xa00", "0\xa0", "0\u3000")


def render_text(report: SampleReport, layout: str = "tabbed", quirks: Iterable[str] = ()) -> str:
    if layout not in LAYOUTS:
        raise ValueError(f"layout must be one of {LAYOUTS}, not {layout!r}")
    q = frozenset(quirks) | report.quirks
    out: list[str] = []
    if layout != "tabbed":
        out.append("")
    first_title = True
    for kind, item in blocks(report):
        if kind == "title":
            line = f"# {item}" if "markdown" in q else item
            if first_title and "bookmark" in q:
                line = "[bookmark: _GoBack]" + line
            first_title = False
            out.append(line)
        elif kind == "heading":
            out += ["", _heading(item, q), ""]
        elif kind == "subheading":
            out.append(f"**{item}。**" if "markdown" in q else item)
        elif kind == "para":
            out += _paragraph(item, q)
        else:
            out += _table(item, layout, q)
    return "\n".join(out) + "\n"


def _heading(text: str, q: frozenset[str]) -> str:
    if "markdown" not in q:
        return text
    if text.startswith("三"):
        return "### " + text
    if text.startswith("六"):
        return f"## **{text}**"
    return "## " + text


def _paragraph(text: str, q: frozenset[str], width: int = 36) -> list[str]:
    if "wrap_paragraphs" not in q:
        return [text]
    lines = [text[i : i + width] for i in range(0, len(text), width)]
    out = []
    for line in lines:
        out += [line, ""]
    return out


def wrap_width(grid: Grid, cell: GridCell) -> int | None:
    """How many characters of a label fit on one line of its table cell (None = no wrapping)."""
    if cell.kind == "value" or cell.role in ("article", "colgroup"):
        return None
    if cell.role == "col":
        return None if grid.name == "sec2" else 2
    if cell.role == "note":
        return 24
    if cell.role == "group":
        return 3 if cell.col == 0 else 4
    if cell.role == "sub":
        return 17
    if cell.role == "row" and grid.name == "sec3":
        return 24
    return None


def label_lines(grid: Grid, cell: GridCell, wrap: bool) -> list[str]:
    width = wrap_width(grid, cell) if wrap else None
    text = cell.text
    if not width or len(text) <= width:
        return [text]
    return [text[i : i + width] for i in range(0, len(text), width)]


def _value(cell: GridCell, q: frozenset[str], layout: str) -> str:
    text = cell.text
    if not text:
        return "-" if ("dash_blanks" in q or layout == "spaces") else ""
    if "padding" in q and text == "0":
        return _PADS[(cell.row * 7 + cell.col) % len(_PADS)]
    return text


def _cell_text(grid: Grid, cell: GridCell, q: frozenset[str], layout: str, sep: str) -> str:
    if cell.kind == "value":
        return _value(cell, q, layout)
    return sep.join(label_lines(grid, cell, "wrap_labels" in q))


def _placed(grid: Grid, q: frozenset[str]) -> dict[tuple[int, int], GridCell]:
    """Where each cell is printed: its top-left position, or one row lower for late group labels."""
    out = {}
    for c in grid.cells:
        row = c.row
        if "group_label_late" in q and c.role == "group" and c.col == 1 and c.rowspan > 1:
            row += 1
        out[(row, c.col)] = c
    return out


def _table(grid: Grid, layout: str, q: frozenset[str]) -> list[str]:
    placed = _placed(grid, q)
    owner = grid.owner_map()
    lines: list[str] = []
    for r in range(grid.n_rows):
        if layout == "tabbed":
            fields = []
            for c in range(grid.n_cols):
                cell = placed.get((r, c))
                fields.append(_cell_text(grid, cell, q, layout, " ") if cell else "")
            line = "\t".join(fields)
            if "omit_trailing_blank" in q:
                line = line.rstrip("\t")
            lines.append(line)
        elif layout == "one_per_line":
            row_lines = []
            for c in range(grid.n_cols):
                cell = placed.get((r, c))
                if cell is not None:
                    row_lines.append("\t" + _cell_text(grid, cell, q, layout, "\n"))
                elif (r, c) in owner and owner[(r, c)].col == c:
                    row_lines.append("\t")  # a merged cell continued from the row above
            if "omit_trailing_blank" in q and row_lines and row_lines[-1] == "\t" and _is_value_at(grid, r, owner):
                row_lines.pop()  # seed 004: a row of six numbers, the blank 总计 not printed at all
            lines += row_lines + [""]
        else:
            lines += _spaces_row(grid, r, placed, q)
    return lines


def _is_value_at(grid: Grid, r: int, owner) -> bool:
    last = owner.get((r, grid.n_cols - 1))
    return last is not None and last.kind == "value" and last.row == r and not last.text


def _spaces_row(grid: Grid, r: int, placed, q: frozenset[str]) -> list[str]:
    out: list[str] = []
    labels = [placed[(r, c)] for c in range(grid.n_cols) if (r, c) in placed and placed[(r, c)].kind != "value"]
    values = [placed[(r, c)] for c in range(grid.n_cols) if (r, c) in placed and placed[(r, c)].kind == "value"]
    texts = [_value(v, q, "spaces") for v in values]
    if not values:
        words = [" ".join(label_lines(grid, c, False)) for c in labels]
        if grid.name == "sec2" or "wrap_labels" not in q:
            return [" ".join(words), ""]
        for c in labels:
            for piece in label_lines(grid, c, True):
                out += [piece, ""]
        return out
    for c in labels[:-1]:
        for piece in label_lines(grid, c, "wrap_labels" in q):
            out += [piece, ""]
    if labels:
        pieces = label_lines(grid, labels[-1], "wrap_labels" in q)
        for piece in pieces[:-1]:
            out += [piece, ""]
        if len(pieces) > 1 and labels[-1].role in ("sub", "row"):
            out += [pieces[-1], " ".join(texts), ""]
        else:
            out += [pieces[-1] + " " + " ".join(texts), ""]
    else:
        out += [" ".join(texts), ""]
    return out
