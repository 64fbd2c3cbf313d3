"""A sample report as a Word document (python-docx), built like the real ones.

The title is one or two centred paragraphs (方正小标宋简体), section headings are paragraphs in
黑体, sub-headings in 楷体, body paragraphs indented two characters (仿宋_GB2312); the three tables
are real Word tables whose merged cells are ``gridSpan`` / ``vMerge`` (what ``mammoth`` turns into
colspan / rowspan), like ``report004_seed.docx``; the footer carries a "- PAGE -" field. Blank cells
are empty paragraphs. The zip is written with fixed timestamps, so a report always gives the same
bytes.

Quirks (also from ``report.quirks``): ``cell_line_breaks`` (a wrapped label typed as one paragraph
per line inside its cell, as in Word files converted from PDF).
"""

from __future__ import annotations

import io
import zipfile
from typing import Iterable

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt

from .grids import Grid, blocks
from .model import SampleReport
from .render_text import label_lines

DOCX_QUIRKS = frozenset({"cell_line_breaks"})
_FIXED_DATE = (2020, 1, 1, 0, 0, 0)


def render_docx(report: SampleReport, quirks: Iterable[str] = ()) -> bytes:
    q = frozenset(quirks) | report.quirks
    doc = Document()
    _base_style(doc)
    props = doc.core_properties
    props.title, props.author, props.comments = report.title, report.site.get("Author", ""), ""
    props.revision = 1
    for kind, item in blocks(report):
        if kind == "title":
            _text(doc, item, "方正小标宋简体", 22, center=True)
        elif kind == "heading":
            _text(doc, item, "黑体", 16, indent=True)
        elif kind == "subheading":
            _text(doc, item, "楷体_GB2312", 16, indent=True)
        elif kind == "para":
            _text(doc, item, "仿宋_GB2312", 16, indent=True)
        else:
            _table(doc, item, q)
    _footer(doc)
    buf = io.BytesIO()
    doc.save(buf)
    return _fixed_zip(buf.getvalue())


def _base_style(doc) -> None:
    style = doc.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(16)
    rpr = style.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.append(fonts)
    fonts.set(qn("w:eastAsia"), "仿宋_GB2312")


def _run_font(run, east_asia: str, size: float, bold: bool = False) -> None:
    run.font.size = Pt(size)
    run.font.bold = bold
    rpr = run._element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    fonts.set(qn("w:ascii"), "Times New Roman")
    fonts.set(qn("w:hAnsi"), "Times New Roman")
    fonts.set(qn("w:eastAsia"), east_asia)


def _text(doc, text: str, font: str, size: float, center: bool = False, indent: bool = False) -> None:
    p = doc.add_paragraph()
    fmt = p.paragraph_format
    fmt.space_after = Pt(0)
    fmt.line_spacing = Pt(28)
    if center:
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    elif indent:
        fmt.first_line_indent = Pt(size * 2)
    _run_font(p.add_run(text), font, size)


def _table(doc, grid: Grid, q: frozenset[str]) -> None:
    """Write the grid as w:tr/w:tc directly: merged cells as gridSpan and vMerge (restart/continue)."""
    table = doc.add_table(rows=0, cols=grid.n_cols)
    table.style = "Table Grid"
    table.alignment = 1  # centred
    tbl = table._tbl
    owner = grid.owner_map()
    for r in range(grid.n_rows):
        tr = OxmlElement("w:tr")
        for col in range(grid.n_cols):
            c = owner[(r, col)]
            if c.col != col:
                continue  # covered by the gridSpan of the cell to the left
            tc = OxmlElement("w:tc")
            pr = OxmlElement("w:tcPr")
            if c.colspan > 1:
                span = OxmlElement("w:gridSpan")
                span.set(qn("w:val"), str(c.colspan))
                pr.append(span)
            if c.rowspan > 1:
                merge = OxmlElement("w:vMerge")
                if c.row == r:
                    merge.set(qn("w:val"), "restart")
                pr.append(merge)
            valign = OxmlElement("w:vAlign")
            valign.set(qn("w:val"), "center")
            pr.append(valign)
            tc.append(pr)
            lines = (
                [""]
                if c.row != r
                else (label_lines(grid, c, True) if ("cell_line_breaks" in q and c.kind != "value") else [c.text])
            )
            for line in lines:
                tc.append(_cell_paragraph(line, bold=c.kind == "caption"))
            tr.append(tc)
        tbl.append(tr)
    doc.add_paragraph()


def _cell_paragraph(text: str, bold: bool):
    p = OxmlElement("w:p")
    ppr = OxmlElement("w:pPr")
    spacing = OxmlElement("w:spacing")
    spacing.set(qn("w:after"), "0")
    jc = OxmlElement("w:jc")
    jc.set(qn("w:val"), "center")
    ppr.append(spacing)
    ppr.append(jc)
    p.append(ppr)
    if text:
        r = OxmlElement("w:r")
        rpr = OxmlElement("w:rPr")
        fonts = OxmlElement("w:rFonts")
        fonts.set(qn("w:ascii"), "Times New Roman")
        fonts.set(qn("w:hAnsi"), "Times New Roman")
        fonts.set(qn("w:eastAsia"), "宋体")
        rpr.append(fonts)
        if bold:
            rpr.append(OxmlElement("w:b"))
        sz = OxmlElement("w:sz")
        sz.set(qn("w:val"), "21")
        rpr.append(sz)
        r.append(rpr)
        t = OxmlElement("w:t")
        t.text = text
        r.append(t)
        p.append(r)
    return p


def _footer(doc) -> None:
    footer = doc.sections[0].footer
    p = footer.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.add_run("- ")
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    r = OxmlElement("w:r")
    t = OxmlElement("w:t")
    t.text = "1"
    r.append(t)
    field.append(r)
    p._p.append(field)
    p.add_run(" -")


def _fixed_zip(data: bytes) -> bytes:
    """The same archive with fixed entry dates, so that equal reports give equal bytes."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=_FIXED_DATE)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = info.external_attr
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()
