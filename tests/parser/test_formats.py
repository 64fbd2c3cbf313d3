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
from pipeline.ofd_page import deltas
from pipeline.record import ParseError
from pipeline.sniff import sniff
from tests.test_roundtrip_property import check_record


def _report(seed: int, template: str = "gov2021"):
    return generate_report(random.Random(seed), template=template)


@pytest.mark.parametrize("seed,template,style", [(1, "gov2021", "ruled"), (2, "gov2019", "borderless"),
                                                 (4, "hybrid", "ruled"), (6, "gov2021", "borderless")])
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
    "nothing drawn": (_zip({"OFD.xml": OFD_XML, "Doc_0/Document.xml":
                            f"<ofd:Document {NS}><ofd:Pages><ofd:Page ID='1' BaseLoc='Pages/P/Content.xml'/>"
                            "</ofd:Pages></ofd:Document>",
                            "Doc_0/Pages/P/Content.xml": f"<ofd:Page {NS}><ofd:Content/></ofd:Page>"}),
                      "no text and no images"),
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
    record = parse_bytes(buf.getvalue(), "report.tif")
    assert record.document.format == "tiff" and record.document.pages == len(pages)
    check_record(record, report, "tiff")


@pytest.mark.slow
def test_image_only_ofd_is_read_by_ocr():
    report = _report(5)
    record = parse_bytes(render_ofd(report, mode="image", dpi=200, quality=85), "scan.ofd")
    assert record.document.format == "ofd" and "OCR" in " ".join(record.warnings)
    check_record(record, report, "image-only ofd")
