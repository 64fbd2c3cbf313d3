"""PDF renderings: pdfminer reads the labels and numbers, poppler draws the glyphs, knobs work."""

import dataclasses
import io
import random
import shutil
import subprocess
from collections import Counter

import pytest
from pdfminer.high_level import extract_pages, extract_text
from pdfminer.layout import LTRect, LTTextContainer

from gongkai.samples.grids import report_tables
from gongkai.samples.rasterize import rasterize_pdf
from gongkai.samples.render_pdf import cjk_font, render_pdf
from gongkai.samples.values import generate_report
from pipeline.sniff import sniff
from sample_checks import require

SHORT_LABELS = (
    "信息内容",
    "规章",
    "行政许可",
    "行政处罚",
    "行政强制",
    "（一）予以公开",
    "1.属于国家秘密",
    "2.重复申请",
    "（七）总计",
    "四、结转下年度继续办理",
    "未经复议直接起诉",
    "复议后起诉",
    "行政复议",
    "行政诉讼",
)


def _report(template="gov2021", blanks=0.0, seed=11, size="large", **kw):
    return generate_report(random.Random(seed), template=template, blanks=blanks, size=size, **kw)


def _pages(data):
    """Per page: its text lines and the number of rectangles drawn."""
    out = []
    for page in extract_pages(io.BytesIO(data)):
        lines, rects = [], 0
        for el in page:
            if isinstance(el, LTTextContainer):
                lines += [line.get_text().strip() for line in el]
            elif isinstance(el, LTRect):
                rects += 1
        out.append((lines, rects))
    return out


def _tokens(data):
    return Counter(extract_text(io.BytesIO(data)).split())


@pytest.mark.parametrize("template", ["gov2021", "gov2019", "hybrid"])
def test_pdfminer_extracts_labels_and_every_number(template):
    r = _report(template, blanks=0.1)
    data = render_pdf(r)
    assert sniff(data, "x.pdf") == "pdf"
    lines = {line for page, _ in _pages(data) for line in page}
    for label in SHORT_LABELS:
        if template == "gov2019" and label == "行政处罚":
            continue
        assert label in lines or any(line.startswith(label + " ") for line in lines), label
    want = Counter(c.text for grid in report_tables(r) for c in grid.cells if c.kind == "value" and c.text)
    got = _tokens(data)
    assert not want - got, want - got
    assert r.title in lines


@pytest.mark.slow
def test_poppler_renders_the_cjk_font():
    require(shutil.which("pdftoppm") is not None, "pdftoppm (poppler-utils)")
    require(cjk_font().startswith("ttf:"), "a TrueType CJK font (fonts-arphic-uming)")
    data = render_pdf(_report())
    proc = subprocess.run(
        ["pdftoppm", "-r", "40", "-f", "1", "-l", "1", "-gray", "-"],
        input=data,
        capture_output=True,
        check=True,
        timeout=60,
    )
    pgm = proc.stdout  # P5 greyscale image
    header_end = pgm.index(b"255\n") + 4
    width = int(pgm.split()[1])
    pixels = pgm[header_end:]
    title_band = pixels[width * 40 : width * 70]  # the title line near the top of page 1
    assert sum(p < 128 for p in title_band) > 100
    assert b"Missing language pack" not in proc.stderr


def test_ruled_and_borderless():
    r = _report()
    ruled = sum(rects for _, rects in _pages(render_pdf(r, style="ruled")))
    plain = sum(rects for _, rects in _pages(render_pdf(r, style="borderless")))
    cells = sum(len(g.cells) for g in report_tables(r))
    assert ruled >= cells and plain == 0


def _page_of(pages, label):
    return [i for i, (lines, _) in enumerate(pages) if any(line.startswith(label) for line in lines)]


def test_tables_split_across_pages_or_move_whole():
    split_seen = False
    for seed in range(6):
        r = _report(seed=seed)
        pages = _pages(render_pdf(r, split_tables=True))
        if _page_of(pages, "（一）予以公开") == _page_of(pages, "（七）总计"):
            continue
        split_seen = True
        whole = _pages(render_pdf(r, split_tables=False))
        assert _page_of(whole, "（一）予以公开") == _page_of(whole, "（七）总计")
        break
    assert split_seen


def test_repeat_header_prints_the_header_again():
    for seed in range(6):
        r = _report(seed=seed)
        pages = _pages(render_pdf(r, repeat_header=True))
        if _page_of(pages, "（一）予以公开") != _page_of(pages, "（七）总计"):
            assert len(_page_of(pages, "申请人情况")) == 2
            plain = _pages(render_pdf(r, repeat_header=False))
            assert len(_page_of(plain, "申请人情况")) == 1
            return
    pytest.fail("no seed split section 三")


def test_wrap_numbers_breaks_long_numbers():
    r = _report()
    cells = dict(r.cells)
    cells["s3_new_received__natural_person"] = 10157
    r = dataclasses.replace(r, cells=cells)
    wrapped = _tokens(render_pdf(r, wrap_numbers=True))
    assert wrapped["1015"] >= 1 and wrapped["10157"] == 0
    assert _tokens(render_pdf(r))["10157"] == 1


def test_page_numbers_and_determinism():
    r = _report()
    data = render_pdf(r)
    text = extract_text(io.BytesIO(data))
    n_pages = len(_pages(data))
    assert n_pages >= 3
    assert all(f"- {i} -" in text for i in range(1, n_pages + 1))
    assert "- 1 -" not in extract_text(io.BytesIO(render_pdf(r, page_numbers=False)))
    assert data == render_pdf(_report())


def test_long_reports_for_benchmarks():
    r = _report(narrative_paragraphs=60)
    assert len(_pages(render_pdf(r))) >= 12


def test_rasterized_pdf_has_no_text():
    data = render_pdf(_report(size="small"))
    image_pdf = rasterize_pdf(data, dpi=100)
    assert sniff(image_pdf, "x.pdf") == "pdf"
    assert extract_text(io.BytesIO(image_pdf)).strip() == ""
    import pypdfium2 as pdfium

    src, dst = pdfium.PdfDocument(data), pdfium.PdfDocument(image_pdf)
    assert len(src) == len(dst)
    assert [tuple(round(x) for x in src[i].get_size()) for i in range(len(src))] == [
        tuple(round(x) for x in dst[i].get_size()) for i in range(len(dst))
    ]
    image = dst[0].render(scale=0.5, grayscale=True).to_pil().convert("L")
    assert sum(image.histogram()[:128]) > 500  # the page is really there, as pixels
    assert rasterize_pdf(data, dpi=100) == image_pdf
