"""The slim package mammoth reads (structural parts, document.xml without formatting) gives the
same Layout as mammoth on the whole package: same lines, cells, spans, lists, deleted text."""

import io
import random
import shutil
import zipfile

import docx
import mammoth
import pytest
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from gongkai.samples.render_docx import render_docx
from gongkai.samples.values import generate_report
from pipeline.docx_layout import _no_image, docx_to_layout, slim_document
from pipeline.html_layout import html_to_layout


def full_mammoth_layout(data: bytes):
    """The reference: mammoth on the untouched package, styles and all."""
    html = mammoth.convert_to_html(
        io.BytesIO(data), convert_image=mammoth.images.img_element(_no_image), external_file_access=False
    ).value
    page = "<html><head><meta charset='utf-8'></head><body>" + html + "</body></html>"
    return html_to_layout(page.encode("utf-8"), fmt="docx", converter="mammoth")


def assert_same_layout(data: bytes) -> None:
    want, got = full_mammoth_layout(data), docx_to_layout(data)
    assert len(got.lines) == len(want.lines)
    for a, b in zip(got.lines, want.lines):
        assert a == b


@pytest.mark.parametrize(
    "seed,template,quirks",
    [
        (1, "gov2021", ()),
        (2, "gov2019", ()),
        (3, "hybrid", ()),
        (4, "gov2021", ("two_line_title",)),
        (5, "gov2021", ("halfwidth_labels",)),
        (6, "gov2019", ("two_line_title",)),
    ],
)
def test_generated_docx_same_layout(seed, template, quirks):
    report = generate_report(random.Random(seed), template=template, blanks=0.25, size="medium", quirks=quirks)
    assert_same_layout(render_docx(report))


def test_shared_docx_same_layout(corpus):
    path = corpus / "generated" / "report004_seed.docx"
    if not path.exists():
        pytest.skip("../shared corpus DOCX not present")
    assert_same_layout(path.read_bytes())


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice not installed")
def test_libreoffice_docx_same_layout(corpus):
    """DOCX written by LibreOffice (what DOC/WPS become) has its own XML habits."""
    from pipeline.office import convert_batch

    path = corpus / "generated" / "report004_seed.doc"
    if not path.exists():
        pytest.skip("../shared corpus DOC not present")
    [converted] = convert_batch([path.read_bytes()])
    assert converted is not None
    assert_same_layout(converted)


def _tricky_docx() -> bytes:
    """Bold, superscript and struck runs, a list paragraph style, a deleted paragraph mark, a deleted run,
    a table with a horizontal and a vertical merge."""
    d = docx.Document()
    p = d.add_paragraph()
    p.add_run("粗体").bold = True
    sup = p.add_run("1")
    sup.font.superscript = True
    p.add_run("删除线").font.strike = True
    for text in ("第一项", "第二项"):
        d.add_paragraph(text, style="List Number")
    joined = d.add_paragraph("标记已删除的段落")
    ppr = joined._p.get_or_add_pPr()
    rpr = OxmlElement("w:rPr")
    mark = OxmlElement("w:del")
    mark.set(qn("w:id"), "1")
    mark.set(qn("w:author"), "x")
    rpr.append(mark)
    ppr.append(rpr)
    d.add_paragraph("下一段")
    kept = d.add_paragraph("保留")
    gone = OxmlElement("w:del")
    gone.set(qn("w:id"), "2")
    gone.set(qn("w:author"), "x")
    run = OxmlElement("w:r")
    t = OxmlElement("w:delText")
    t.text = "已删除"
    run.append(t)
    gone.append(run)
    kept._p.append(gone)
    table = d.add_table(rows=3, cols=3)
    for r in range(3):
        for c in range(3):
            table.cell(r, c).text = f"{r}{c}"
    table.cell(0, 0).merge(table.cell(0, 1))
    table.cell(1, 2).merge(table.cell(2, 2))
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def test_tricky_docx_same_layout():
    data = _tricky_docx()
    assert_same_layout(data)
    text = docx_to_layout(data).text()
    assert "保留" in text and "保留已删除" not in text and "第一项" in text
    assert "标记已删除的段落下一段" in text  # a deleted paragraph mark joins the paragraphs


def test_slim_document_drops_formatting_keeps_structure():
    data = _tricky_docx()
    xml = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml")
    slim = slim_document(xml)
    assert len(slim) < len(xml)
    for kept in (b"w:gridSpan", b"w:vMerge", b"w:pStyle", b"w:delText", b"w:del "):
        assert kept in slim, kept
    assert b"<w:b/>" not in slim and b"w:vertAlign" not in slim


def test_slim_document_leaves_broken_xml_to_mammoth():
    assert slim_document(b"<w:document><unclosed>") == b"<w:document><unclosed>"
