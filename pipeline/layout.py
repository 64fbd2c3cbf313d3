"""The intermediate layout every converter produces and the interpreter reads.

A document becomes a sequence of :class:`Line` s in reading order. A line is either running text
(one cell, ``table is None``) or one row of a table (``table`` is its index, cells carry their grid
column after merged cells are expanded). Plain text files give lines whose cells are split at tabs,
with no grid columns. Every cell keeps the text as printed and a locator pointing back to the
source (PDF page + bbox, HTML/DOCX table/row/col, TXT line).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping


@dataclass(frozen=True, slots=True)
class Cell:
    text: str
    col: int | None = None  # grid column after expanding merged cells; None when unknown
    span: int = 1  # number of grid columns the cell covers
    locator: Mapping[str, Any] | None = None
    continued: bool = False  # a copy of a merged (rowspan) cell from a row above
    confidence: float | None = None  # OCR confidence for recognised text


@dataclass(frozen=True, slots=True)
class Line:
    cells: tuple[Cell, ...]
    table: int | None = None
    row: int | None = None
    locator: Mapping[str, Any] | None = None

    @property
    def text(self) -> str:
        return "\t".join(c.text for c in self.cells)


@dataclass(frozen=True, slots=True)
class Layout:
    lines: tuple[Line, ...]
    format: str  # pdf | docx | doc | wps | html | txt
    converter: str  # e.g. "pdfminer.six 20260107"
    pages: int | None = None
    warnings: tuple[str, ...] = field(default_factory=tuple)
    title_hint: str | None = None  # e.g. the page's ArticleTitle meta tag

    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)


def text_line(text: str, locator: Mapping[str, Any] | None = None) -> Line:
    return Line((Cell(text, locator=locator),), locator=locator)
