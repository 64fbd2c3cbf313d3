"""A sample report as a PDF with a text layer (reportlab), laid out like a WPS/Word export.

A4 pages, 三号 body text with 28 pt leading and a two-character first-line indent, a centred title,
tables in 五号 with labels wrapped inside their cells and the 三、本年度办理结果 column one
character wide, so that it reads top-down as in 洪泽区's 2024 report. Knobs:

- ``style="ruled"`` draws every cell border as lines (Word/WPS exports); ``"borderless"`` none;
- ``split_tables``: a table continues on the next page row by row (else it starts on a fresh page
  when it does not fit, and splits only when taller than a page);
- ``repeat_header``: the header rows of a split table are printed again on the new page;
- ``wrap_numbers``: value columns just four digits wide, so a longer number breaks inside its cell
  ("1015⏎7");
- ``page_numbers``: footers "- 1 -", "- 2 -", ….
- ``cell_spacing``: ``"compact"`` (single-spaced 五号 with 2.5 pt cell padding) or ``"spaced"``
  (labels 1.5-spaced, 1 pt padding, as Word tables with 1.5 line spacing: the lines of a wrapped
  label, 1.申请人无正当理由逾期不补正、… under （六）其他处理, sit farther apart than 0.9 of a
  one-line row's height, and the row's numbers sit between them).

The Chinese font is a TrueType CJK font embedded as subsets with a ToUnicode map (as WPS does), so
pdfminer.six extracts correct Unicode and poppler renders it: AR PL UMing (Debian
``fonts-arphic-uming``) or WenQuanYi (``fonts-wqy-zenhei`` / ``-microhei``), or any file named by
``$GONGKAI_CJK_TTF``. Without one it falls back to reportlab's built-in ``STSong-Light`` CID font,
which pdfminer reads but poppler renders only with ``poppler-data`` installed.
"""

from __future__ import annotations

import io
import os
from dataclasses import dataclass
from functools import cache

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen import canvas

from .grids import Grid, GridCell, blocks
from .model import SampleReport
from .render_text import label_lines

PAGE_W, PAGE_H = 595.28, 841.89
MARGIN_X, MARGIN_TOP, MARGIN_BOTTOM = 79.0, 72.0, 72.0
BODY_SIZE, BODY_LEADING = 15.75, 28.0
TITLE_SIZE, TITLE_LEADING = 21.0, 36.0
CELL_SIZE, CELL_LEADING, CELL_PAD, MIN_ROW = 10.5, 13.0, 2.5, 18.0
FONT_NAME = "GongkaiCJK"
TTF_CANDIDATES = (
    ("/usr/share/fonts/truetype/arphic/uming.ttc", "CN"),
    ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", ""),
    ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", ""),
    ("/usr/share/fonts/truetype/arphic/ukai.ttc", "CN"),
    ("/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf", ""),
)
STYLES = ("ruled", "borderless")


@dataclass(frozen=True)
class CellSpacing:
    pad: float  # above, below, left and right of the text in a cell (pt)
    leading: float  # line to line inside a cell (pt)
    min_row: float  # the height of a row at least (pt)


CELL_SPACINGS = {"compact": CellSpacing(CELL_PAD, CELL_LEADING, MIN_ROW), "spaced": CellSpacing(1.0, 15.75, 17.0)}


_FONT = {"name": "GongkaiCJK"}


@cache
def cjk_font() -> str:
    """Register the CJK font once; returns a description ("ttf:/path#index" or "cid:STSong-Light")."""
    from reportlab.pdfbase.ttfonts import TTFError, TTFont

    candidates = []
    env = os.environ.get("GONGKAI_CJK_TTF")
    if env:
        candidates.append((env, ""))
    candidates += list(TTF_CANDIDATES)
    for path, prefer in candidates:
        if not os.path.exists(path):
            continue
        try:
            index = _subfont(path, prefer)
            pdfmetrics.registerFont(TTFont(FONT_NAME, path, subfontIndex=index))
        except (TTFError, OSError):  # an unreadable or non-TrueType file: try the next one
            continue
        return f"ttf:{path}#{index}"
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    _FONT["name"] = "STSong-Light"
    return "cid:STSong-Light"


def _subfont(path: str, prefer: str) -> int:
    """The index of the face of a .ttc whose name contains ``prefer`` (0 when none does)."""
    from reportlab.pdfbase.ttfonts import TTFError, TTFontFile

    if not path.endswith(".ttc") or not prefer:
        return 0
    for i in range(8):
        try:
            face = TTFontFile(path, subfontIndex=i)
        except (TTFError, OSError):  # past the last font of the collection
            break
        name = face.name.decode("latin-1") if isinstance(face.name, bytes) else str(face.name)
        if prefer in name:
            return i
    return 0


def font_name() -> str:
    cjk_font()
    return _FONT["name"]


@cache
def _char_width(ch: str, size: float) -> float:
    return pdfmetrics.stringWidth(ch, _FONT["name"], size)


def _width(text: str, size: float) -> float:
    return sum(_char_width(ch, size) for ch in text)


def wrap(text: str, width: float, size: float) -> list[str]:
    """Break ``text`` into lines no wider than ``width`` (any character may end a line, as in CJK)."""
    lines, line, w = [], "", 0.0
    for ch in text:
        cw = _char_width(ch, size)
        if line and w + cw > width:
            lines.append(line)
            line, w = "", 0.0
        line += ch
        w += cw
    if line or not lines:
        lines.append(line)
    return lines


@dataclass
class _Page:
    number: int
    y: float


class _Writer:
    def __init__(self, style: str, page_numbers: bool, cell_spacing: str = "compact"):
        self.buf = io.BytesIO()
        self.c = canvas.Canvas(self.buf, pagesize=(PAGE_W, PAGE_H), invariant=1, pageCompression=1)
        self.c.setTitle("政府信息公开工作年度报告")
        self.style, self.page_numbers = style, page_numbers
        self.cells = CELL_SPACINGS[cell_spacing]
        self.page = _Page(1, PAGE_H - MARGIN_TOP)

    @property
    def room(self) -> float:
        return self.page.y - MARGIN_BOTTOM

    def new_page(self):
        self._footer()
        self.c.showPage()
        self.page = _Page(self.page.number + 1, PAGE_H - MARGIN_TOP)

    def _footer(self):
        if self.page_numbers:
            self.c.setFont(_FONT["name"], 14)
            text = f"- {self.page.number} -"
            self.c.drawString((PAGE_W - _width(text, 14)) / 2, 40, text)

    def finish(self) -> bytes:
        self._footer()
        self.c.showPage()
        self.c.save()
        return self.buf.getvalue()

    def line(self, text: str, size: float, leading: float, x: float, center: bool = False):
        if self.room < leading:
            self.new_page()
        self.page.y -= leading
        self.c.setFont(_FONT["name"], size)
        if center:
            x = (PAGE_W - _width(text, size)) / 2
        self.c.drawString(x, self.page.y + (leading - size) / 2, text)

    def paragraph(self, text: str, indent: bool = True):
        usable = PAGE_W - 2 * MARGIN_X
        first = 2 * BODY_SIZE if indent else 0
        lines = wrap(text, usable - first, BODY_SIZE)
        rest = wrap(text[len(lines[0]) :], usable, BODY_SIZE) if len(lines) > 1 else []
        for i, line in enumerate([lines[0]] + [r for r in rest if r]):
            self.line(line, BODY_SIZE, BODY_LEADING, MARGIN_X + (first if i == 0 else 0))


def render_pdf(
    report: SampleReport,
    *,
    style: str = "ruled",
    split_tables: bool = True,
    repeat_header: bool = False,
    wrap_numbers: bool = False,
    page_numbers: bool = True,
    cell_spacing: str = "compact",
) -> bytes:
    if style not in STYLES:
        raise ValueError(f"style must be one of {STYLES}, not {style!r}")
    if cell_spacing not in CELL_SPACINGS:
        raise ValueError(f"cell_spacing must be one of {tuple(CELL_SPACINGS)}, not {cell_spacing!r}")
    cjk_font()
    w = _Writer(style, page_numbers, cell_spacing)
    for kind, item in blocks(report):
        if kind == "title":
            w.line(item, TITLE_SIZE, TITLE_LEADING, MARGIN_X, center=True)
        elif kind in ("heading", "subheading"):
            w.paragraph(item)
        elif kind == "para":
            w.paragraph(item)
        else:
            _table(w, item, split_tables, repeat_header, wrap_numbers)
    return w.finish()


def render_table_pdf(grid: Grid, *, style: str = "ruled") -> bytes:
    """One table alone as :func:`render_pdf` prints it (as many pages as it needs, no footers)."""
    cjk_font()
    w = _Writer(style, False)
    _table(w, grid, True, False, False)
    return w.finish()


# --- tables -----------------------------------------------------------------------------------


def _col_widths(grid: Grid, wrap_numbers: bool) -> list[float]:
    usable = PAGE_W - 2 * MARGIN_X
    digit = _char_width("0", CELL_SIZE)
    if grid.name == "sec2":
        return [usable * f for f in (0.34, 0.22, 0.22, 0.22)]
    if grid.name == "sec4":
        return [usable / 15] * 15
    longest = max((_width(c.text, CELL_SIZE) for c in grid.cells if c.kind == "value"), default=digit)
    value_w = 4 * digit + 2 * CELL_PAD + 0.5 if wrap_numbers else max(30.0, longest + 2 * CELL_PAD + 1)
    group_w = _char_width("三", CELL_SIZE) + 2 * CELL_PAD + 1  # one character per line
    rest = usable - 7 * value_w - group_w
    return [group_w, rest * 0.3, rest * 0.7] + [value_w] * 7


def _cell_lines(grid: Grid, cell: GridCell, width: float, pad: float = CELL_PAD) -> list[str]:
    text_w = width - 2 * pad
    out = []
    for piece in label_lines(grid, cell, False) if cell.kind != "value" else [cell.text]:
        out += wrap(piece, text_w, CELL_SIZE)
    return out


def _table(w: _Writer, grid: Grid, split: bool, repeat_header: bool, wrap_numbers: bool) -> None:
    widths = _col_widths(grid, wrap_numbers)
    x0 = [MARGIN_X + sum(widths[:i]) for i in range(len(widths) + 1)]
    sp = w.cells
    lines = {c: _cell_lines(grid, c, x0[c.col + c.colspan] - x0[c.col], sp.pad) for c in grid.cells}
    heights = [sp.min_row] * grid.n_rows
    for c in grid.cells:
        if c.rowspan == 1:
            heights[c.row] = max(heights[c.row], len(lines[c]) * sp.leading + 2 * sp.pad)
    for c in grid.cells:
        if c.rowspan > 1:
            need = len(lines[c]) * sp.leading + 2 * sp.pad
            have = sum(heights[c.row : c.row + c.rowspan])
            if need > have:
                heights[c.row + c.rowspan - 1] += need - have
    full_page = PAGE_H - MARGIN_TOP - MARGIN_BOTTOM
    if not split and sum(heights) > w.room and sum(heights) <= full_page:
        w.new_page()
    on_page: list[tuple[int, float]] = []  # (row, top y) of the rows on the current page
    pending: set[GridCell] = set()  # merged cells whose text moves to their next part
    for r in range(grid.n_rows):
        if heights[r] > w.room and w.page.y < PAGE_H - MARGIN_TOP - 0.5:
            continued = bool(on_page)
            _flush(w, grid, on_page, heights, x0, lines, pending)
            w.new_page()
            on_page = []
            if repeat_header and continued and r >= grid.header_rows:
                for h in range(grid.header_rows):
                    on_page.append((h, w.page.y))
                    w.page.y -= heights[h]
        on_page.append((r, w.page.y))
        w.page.y -= heights[r]
    _flush(w, grid, on_page, heights, x0, lines, pending)
    w.page.y -= BODY_LEADING / 2


def _flush(w: _Writer, grid: Grid, on_page, heights, x0, lines, pending: set) -> None:
    """Draw the cells, or the parts of merged cells, that lie on the rows of the current page.
    A merged cell split over pages prints its text in its first part (the rest stays empty, as in
    洪泽区 2024), or in the next part when the first is too short to hold it."""
    tops = dict(on_page)
    for c in grid.cells:
        span = [r for r in range(c.row, c.row + c.rowspan) if r in tops]
        if not span:
            continue
        top, bottom = tops[span[0]], tops[span[-1]] - heights[span[-1]]
        text = []
        if c.row in tops or c in pending:
            block = len(lines[c]) * w.cells.leading + 2 * w.cells.pad
            continues = span[-1] < c.row + c.rowspan - 1
            if continues and top - bottom < block:
                pending.add(c)
            else:
                pending.discard(c)
                text = lines[c]
        _draw_cell(w, grid, c, x0, top, bottom, text)


def _draw_cell(w: _Writer, grid: Grid, c: GridCell, x0, top: float, bottom: float, text: list[str]) -> None:
    left, right = x0[c.col], x0[c.col + c.colspan]
    cv = w.c
    if w.style == "ruled":
        cv.setLineWidth(0.5)
        cv.rect(left, bottom, right - left, top - bottom, stroke=1, fill=0)
    if not text:
        return
    cv.setFont(_FONT["name"], CELL_SIZE)
    leading = w.cells.leading
    block = len(text) * leading
    y = (top + bottom) / 2 + block / 2 - leading + (leading - CELL_SIZE) / 2 + 1
    left_align = c.kind == "label" and c.role in ("sub", "row")
    for line in text:
        width = _width(line, CELL_SIZE)
        x = left + w.cells.pad if left_align else (left + right - width) / 2
        cv.drawString(x, y, line)
        y -= leading
