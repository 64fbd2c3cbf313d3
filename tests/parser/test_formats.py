"""OFD and image attachments: sniffed by bytes, OFD text read like a PDF text layer, images and
image-only OFD read by the scanned-PDF route (OCR), bad packages refused with one line."""

from __future__ import annotations

import io
import random
import zipfile

import pytest

from gongkai.samples.render_ofd import render_ofd
from gongkai.samples.render_pdf import render_pdf
from gongkai.samples.values import generate_report
from pipeline.api import parse_bytes
from pipeline.images import page_size
from pipeline.limits import Limits
from pipeline.ofd_page import deltas
from pipeline.record import ParseError
from pipeline.sniff import sniff
from tests.test_roundtrip_property import check_record


# OCR tests measure what is read, not how fast: a loaded machine must not turn them into timeouts
PATIENT = Limits(ocr_seconds_per_page=900, max_seconds=3600)


def _report(seed: int, template: str = "gov2021"):
    return generate_report(random.Random(seed), template=template)


@pytest.mark.parametrize(
    "seed,template,style",
    [(1, "gov2021", "ruled"), (2, "gov2019", "borderless"), (4, "hybrid", "ruled"), (6, "gov2021", "borderless")],
)
def test_text_ofd_round_trip(seed, template, style):
    report = _report(seed, template)
    data = render_ofd(report, style=style)
    assert sniff(data, "") == "ofd"
    record = parse_bytes(data, "report.ofd")
    assert record.document.format == "ofd"
    check_record(record, report, f"ofd {style} {template}")
    # the same cells, statuses and locators' pages as the PDF it was printed from
    pdf = parse_bytes(render_pdf(report, style=style), "report.pdf")
    for key, cell in pdf.cells.items():
        assert (record.cells[key].value, record.cells[key].status) == (cell.value, cell.status), key


def _zip(parts: dict[str, bytes | str]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, body in parts.items():
            zf.writestr(name, body)
    return buf.getvalue()


NS = 'xmlns:ofd="http://www.ofdspec.org/2016"'
OFD_XML = f"<ofd:OFD {NS}><ofd:DocBody><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>"
BAD_OFD = {
    "no root part": (_zip({"Doc_0/Document.xml": "<x/>", "x/OFD.xml": OFD_XML}), "no OFD.xml"),
    "traversal": (_zip({"OFD.xml": OFD_XML, "../../evil.xml": "<x/>"}), "unsafe name"),
    "entities": (_zip({"OFD.xml": '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY e "x">]>' + OFD_XML}), "DTD"),
    "broken xml": (_zip({"OFD.xml": "<ofd:OFD"}), "corrupt OFD"),
    "no pages": (_zip({"OFD.xml": OFD_XML, "Doc_0/Document.xml": f"<ofd:Document {NS}/>"}), "no pages"),
    "nothing drawn": (
        _zip(
            {
                "OFD.xml": OFD_XML,
                "Doc_0/Document.xml": f"<ofd:Document {NS}><ofd:Pages><ofd:Page ID='1' BaseLoc='Pages/P/Content.xml'/>"
                "</ofd:Pages></ofd:Document>",
                "Doc_0/Pages/P/Content.xml": f"<ofd:Page {NS}><ofd:Content/></ofd:Page>",
            }
        ),
        "no text and no images",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_OFD))
def test_bad_ofd_is_refused_with_a_reason(case):
    data, expect = BAD_OFD[case]
    with pytest.raises(ParseError) as err:
        parse_bytes(data, "bad.ofd")
    assert expect in str(err.value), str(err.value)


def test_delta_x_runs_are_expanded():
    assert deltas("g 3 4.5 1 g 2 0.5") == [4.5, 4.5, 4.5, 1.0, 0.5, 0.5]
    assert deltas("") == [] and deltas("2 x 3") == [2.0]


def test_image_page_size_follows_resolution_or_shape():
    assert page_size(1654, 2339, (200, 200)) == pytest.approx((595.44, 842.04), abs=0.1)  # a 200 dpi scan
    assert page_size(3000, 4000, (72, 72))[0] == pytest.approx(595.28)  # a phone photo: an A4 page
    assert page_size(960, 300, None) == pytest.approx((720, 225))  # a screenshot of a table: 96 dpi


def test_corrupt_and_huge_images_are_refused():
    with pytest.raises(ParseError, match="corrupt PNG"):
        parse_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 200, "page.png")
    from PIL import Image

    buf = io.BytesIO()
    Image.new("1", (12000, 9000)).save(buf, format="TIFF")
    with pytest.raises(ParseError, match="pixels"):
        parse_bytes(buf.getvalue(), "huge.tif")


def _scan_pages(report, dpi: int = 200):
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(render_pdf(report))
    try:
        return [doc[i].render(scale=dpi / 72, grayscale=True).to_pil().convert("L") for i in range(len(doc))]
    finally:
        doc.close()


@pytest.mark.slow
def test_multipage_tiff_reads_like_a_scanned_pdf():
    """A 200 dpi TIFF of the four pages of a report: every cell read, in page order."""
    report = _report(5)
    pages = _scan_pages(report)
    buf = io.BytesIO()
    pages[0].save(buf, format="TIFF", save_all=True, append_images=pages[1:], dpi=(200, 200))
    record = parse_bytes(buf.getvalue(), "report.tif", PATIENT)
    assert record.document.format == "tiff" and record.document.pages == len(pages)
    check_record(record, report, "tiff")


@pytest.mark.slow
def test_image_only_ofd_is_read_by_ocr():
    report = _report(5)
    record = parse_bytes(render_ofd(report, mode="image", dpi=200, quality=85), "scan.ofd", PATIENT)
    assert record.document.format == "ofd" and "OCR" in " ".join(record.warnings)
    check_record(record, report, "image-only ofd")


# --- reports printed as images in an article page ---------------------------------------------


def _save_page(tmp_path, report, kind: str, with_images: bool = True, linked: bool | str = False):
    from gongkai.samples.render_image_html import render_image_html

    html, files = render_image_html(report, kind=kind, linked=linked)
    page = tmp_path / "t20240120_1.html"
    page.write_bytes(html)
    if with_images:
        for src, blob in files.items():
            (tmp_path / src).parent.mkdir(parents=True, exist_ok=True)
            (tmp_path / src).write_bytes(blob)
    return page, files


def test_saved_page_without_its_images_says_so_and_reads_nothing(tmp_path):
    from pipeline.api import parse_path
    from pipeline.html_images import MISSING_NOTE

    page, files = _save_page(tmp_path, _report(3), "tables", with_images=False)
    record = parse_path(page)
    notes = [w for w in record.warnings if w.startswith(MISSING_NOTE)]
    assert len(notes) == 1 and f"{len(files)} of the {len(files)} images" in notes[0], record.warnings
    assert all(c.status == "missing" and c.value is None for c in record.cells.values())


def test_text_report_pages_ignore_their_images():
    """A page whose tables are HTML is read as today, logo and all (no image is looked for)."""
    from gongkai.samples.render_html import render_html
    from pipeline.html_layout import html_to_layout, image_srcs

    report = _report(3)
    data = render_html(report)
    assert b"<img" in data and image_srcs(data) == []
    assert not html_to_layout(data).warnings
    check_record(parse_bytes(data, "page.html"), report, "html with a logo")


def test_local_images_stay_inside_the_page_folder(tmp_path):
    from pipeline.html_images import local_assets

    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.png").write_bytes(b"A")
    (tmp_path / "secret.png").write_bytes(b"S")
    page = tmp_path / "in" / "p.html"
    got = local_assets(page, ["a.png", "../secret.png", "/etc/passwd", "https://x.gov.cn/a.png", "a%2Epng"], 10)
    assert got == {"a.png": b"A", "a%2Epng": b"A"}


@pytest.mark.slow
def test_table_screenshots_beside_a_saved_page_are_read(tmp_path):
    """Text as text, each table a PNG screenshot: the tables are OCR'd in their places; a value
    that is read is the printed one (OCR may leave a cell missing, never wrong without a flag)."""
    from gongkai.samples.expected import expected_cells
    from pipeline.api import parse_path

    report = _report(8)
    page, files = _save_page(tmp_path, report, "tables")
    record = parse_path(page, PATIENT)
    want = expected_cells(report)
    read = {k: c for k, c in record.cells.items() if c.status == "read"}
    assert len(read) >= 0.95 * len(want), f"{len(read)} of {len(want)} read; {record.warnings}"
    wrong = [k for k, c in read.items() if want[k][0] is None or abs(float(c.value) - float(want[k][0])) > 1e-6]
    assert not wrong, wrong
    assert {c.locator.get("image") for k, c in read.items() if k.startswith("s3_")} <= set(files)
    assert record.report.report_year == report.report_year


def test_linked_page_scans_are_the_report_images_in_order():
    """Pages listed as links to picture files are the report's images, in document order; a
    thumbnail inside such a link stands for the linked picture; other links and icons are not."""
    from pipeline.html_layout import image_srcs

    body = (
        '<div class="TRS_Editor"><p>（本报告为扫描件，见附图）</p>'
        '<p><a href="files/p1.jpg"><img src="files/t1.jpg" width="240"/></a></p>'
        '<p><a href="files/p2.JPG?v=1">第2页</a></p>'
        '<p><a href="list.html">返回列表</a> <a href="javascript:print()">打印.png</a></p>'
        '<p><a href="/img/share_icon.png">分享</a></p></div>'
    )
    page = f"<html><head><title>示例县2023年政府信息公开工作年度报告</title></head><body>{body}</body></html>"
    assert image_srcs(page.encode()) == ["files/p1.jpg", "files/p2.JPG?v=1"]


@pytest.mark.slow
def test_saved_page_of_linked_page_scans_reads_the_linked_pictures(tmp_path):
    """Page scans linked as image files, each link showing a thumbnail: the full pictures beside
    the saved page are read as the pages of one scan (the thumbnails are not)."""
    from pipeline.api import parse_path

    report = _report(4)
    page, files = _save_page(tmp_path, report, "pages", linked="thumbs")
    record = parse_path(page, PATIENT)
    images = {c.locator.get("image") for c in record.cells.values() if c.status == "read"}
    assert images and all(src and "/page" in src for src in images), images
    check_record(record, report, "linked page scans")


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["pages", "tables"])
def test_cli_says_in_one_line_that_the_images_are_missing(tmp_path, kind):
    """Page scans only: no report without them, one error line that says why. Table screenshots
    beside text: the record (every cell missing) and one line on stderr."""
    import subprocess

    from pipeline.html_images import MISSING_NOTE
    from tests.conftest import gongkai_exe

    page, files = _save_page(tmp_path, _report(3), kind, with_images=False)
    proc = subprocess.run([*gongkai_exe(), "parse", str(page), "--json"], capture_output=True, text=True, timeout=120)
    assert (proc.returncode == 0) == (kind == "tables") and proc.stdout.startswith("{") == (kind == "tables")
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and MISSING_NOTE in lines[0] and f"{len(files)} of the {len(files)}" in lines[0], lines


def test_ofd_page_geometry_template_ctm_and_paths():
    """Millimetres from the top left → points from the bottom left; a template page's rulings come
    first; a CTM scales text; white strokes and curves are no rulings."""
    from pipeline.ofd import Document, Package

    page = (
        f"<ofd:Page {NS}><ofd:Area><ofd:PhysicalBox>0 0 100 200</ofd:PhysicalBox></ofd:Area>"
        "<ofd:Template TemplateID='7'/><ofd:Content><ofd:Layer>"
        "<ofd:TextObject Boundary='10 20 50 10' Size='5' CTM='2 0 0 2 0 0'>"
        "<ofd:TextCode X='0' Y='4' DeltaX='g 2 3'>本年新</ofd:TextCode></ofd:TextObject>"
        "<ofd:PathObject Boundary='0 0 100 200'><ofd:StrokeColor Value='255 255 255'/>"
        "<ofd:AbbreviatedData>M 0 50 L 100 50</ofd:AbbreviatedData></ofd:PathObject>"
        "<ofd:PathObject Boundary='0 0 100 200'><ofd:AbbreviatedData>M 0 0 B 10 10 20 10 30 0"
        "</ofd:AbbreviatedData></ofd:PathObject></ofd:Layer></ofd:Content></ofd:Page>"
    )
    template = (
        f"<ofd:Page {NS}><ofd:Content><ofd:Layer><ofd:PathObject Boundary='10 100 80 40' LineWidth='0.2'>"
        "<ofd:AbbreviatedData>M 0 0 L 80 0 L 80 40 L 0 40 C</ofd:AbbreviatedData></ofd:PathObject>"
        "</ofd:Layer></ofd:Content></ofd:Page>"
    )
    doc_xml = (
        f"<ofd:Document {NS}><ofd:CommonData><ofd:TemplatePage ID='7' BaseLoc='Tpls/T.xml'/>"
        "</ofd:CommonData><ofd:Pages><ofd:Page ID='1' BaseLoc='Pages/P/Content.xml'/></ofd:Pages></ofd:Document>"
    )
    data = _zip(
        {
            "OFD.xml": OFD_XML,
            "Doc_0/Document.xml": doc_xml,
            "Doc_0/Tpls/T.xml": template,
            "Doc_0/Pages/P/Content.xml": page,
        }
    )
    from pipeline.limits import Limits

    content, images = Document(Package(data, Limits()), Limits()).page(1, 1000)
    mm = 72 / 25.4
    assert (round(content.width, 2), round(content.height, 2)) == (round(100 * mm, 2), round(200 * mm, 2))
    assert [c.text for c in content.chars] == ["本", "年", "新"] and images == []
    first, second = content.chars[:2]
    assert first.x0 == pytest.approx(10 * mm) and second.x0 == pytest.approx((10 + 6) * mm)  # DeltaX 3 × CTM 2
    baseline = (200 - (20 + 8)) * mm  # Y 4 × CTM 2 below the boundary's top
    assert first.y0 < baseline < first.y1 and first.size == pytest.approx(10 * mm)
    h = sorted(round(s.pos / mm, 3) for s in content.segments if s.orient == "h")
    v = sorted(round(s.pos / mm, 3) for s in content.segments if s.orient == "v")
    assert h == [60.0, 100.0] and v == [10.0, 90.0]  # the template's box only; no white line, no curve
    assert content.curves == 1


def test_report_images_skip_icons_and_follow_lazy_loading():
    import lxml.html

    from pipeline.html_images import image_src, report_images

    root = lxml.html.fromstring(
        '<div><img src="/img/logo.png"/><img src="loading.gif" data-src="files/p1.jpg"/>'
        '<img src="files/p2.png" width="16"/><img src="files/share_wx.png"/><img src="files/p3.jpg" width="800"/></div>'
    )
    assert [image_src(i) for i in report_images(root)] == ["files/p1.jpg", "files/p3.jpg"]
