"""Reading order: per page ruled tables and text lines top to bottom, pages in order; tables
chained over page breaks; borderless tables found in the runs of text lines; all as Layout lines."""

from __future__ import annotations

from ..layout import Cell, Line
from .borderless import drop_repeated_headers, find_blocks
from .borderless_rows import build_table
from .grid import TableSegment, find_tables
from .model import PageContent, rounded
from .pages import drop_furniture
from .tables import build_ruled, continues, emit
from .textlines import PhysLine, min_conf, page_lines


def _text_line(line: PhysLine) -> Line:
    loc = {"page": line.page, "bbox": rounded(line.box)}
    return Line((Cell(line.text, locator=loc, confidence=min_conf(line.chars)),), locator=loc)


def _title(lines: list[PhysLine]) -> str | None:
    """The large-type lines at the top of the first page (a title is often split over two lines)."""
    if not lines:
        return None
    sizes = sorted(ln.size for ln in lines)
    body = sizes[len(sizes) // 2]
    parts: list[PhysLine] = []
    for ln in lines:
        if ln.size < 1.2 * body or (parts and abs(ln.size - parts[0].size) > 0.15 * parts[0].size):
            break
        parts.append(ln)
    return "".join("".join(p.text.split()) for p in parts) or None


def _sequence(pages: list[PageContent]) -> tuple[list[TableSegment | PhysLine], str | None]:
    tables: dict[int, list[TableSegment]] = {}
    lines: dict[int, list[PhysLine]] = {}
    for p in pages:
        tables[p.number], free = find_tables(p.number, p.segments, p.chars)
        lines[p.number] = page_lines(p.number, free)
    heights = {p.number: p.height for p in pages}
    boxes = {n: [t.box for t in ts] for n, ts in tables.items()}
    lines = drop_furniture(lines, heights, boxes)
    seq: list[TableSegment | PhysLine] = []
    for p in pages:
        items: list[TableSegment | PhysLine] = [*tables[p.number], *lines[p.number]]
        items.sort(key=lambda it: -it.top)
        seq.extend(items)
    first = pages[0].number if pages else None
    return seq, _title(lines.get(first, []))  # type: ignore[arg-type]


def _emit_run(run: list[PhysLine], out: list[Line], table_no: list[int]) -> None:
    run = drop_repeated_headers(run)
    pos = 0
    for start, first, _last, end, zone in find_blocks(run):
        table = build_table(run[start : end + 1], first - start, zone)
        if table is None or not table.cells:
            continue  # its lines stay text
        out.extend(_text_line(ln) for ln in run[pos:start])
        out.extend(emit(table, table_no[0]))
        table_no[0] += 1
        pos = end + 1
    out.extend(_text_line(ln) for ln in run[pos:])


def build_lines(pages: list[PageContent]) -> tuple[list[Line], str | None]:
    """The document's Layout lines in reading order, and a title hint from page 1."""
    seq, title = _sequence(pages)
    out: list[Line] = []
    table_no = [0]
    run: list[PhysLine] = []
    i = 0
    while i < len(seq):
        item = seq[i]
        if isinstance(item, PhysLine):
            run.append(item)
            i += 1
            continue
        _emit_run(run, out, table_no)
        run = []
        chain = [item]
        while i + 1 < len(seq) and isinstance(seq[i + 1], TableSegment) and continues(chain[-1], seq[i + 1]):  # type: ignore[arg-type]
            i += 1
            chain.append(seq[i])  # type: ignore[arg-type]
        out.extend(emit(build_ruled(chain), table_no[0]))
        table_no[0] += 1
        i += 1
    _emit_run(run, out, table_no)
    return out, title
