"""Scans made the way offices make them, read back: every wrong value is missing or flagged.

Few and small documents (OCR costs tens of seconds a page on the shared machine); the larger
sweep is ``python -m tests.pdf.scan_sweep --office``.
"""

from __future__ import annotations

import json
import random

import pytest

from pipeline.pdf.ocr import available_engines

from .helpers import shared_dir

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif("rapidocr" not in available_engines(), reason="RapidOCR not installed"),
]


def _same(a, b) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return abs(float(a) - float(b)) < 1e-6


def _misses(record, truth: dict) -> tuple[list[str], list[str]]:
    """(cells that differ from the truth, those among them that are read and not flagged)."""
    misses, silent = [], []
    for key, want in truth.items():
        cell = record.cells[key]
        if _same(cell.value, want):
            continue
        misses.append(f"{key}: want {want}, got {cell.value}/{cell.status} ({cell.suspect})")
        if cell.status != "missing" and not cell.suspect:
            silent.append(misses[-1])
    return misses, silent


def test_hongze_scan_gold_every_wrong_cell_missing_or_flagged():
    base = shared_dir()
    if base is None or not (base / "corpus/generated/hongze_2024_scan.pdf").exists():
        pytest.skip("../shared corpus not available")
    from pipeline.api import parse_bytes

    gold = json.loads((base / "corpus/gold/hongze_2024_scan.json").read_text(encoding="utf-8"))
    record = parse_bytes((base / "corpus/generated/hongze_2024_scan.pdf").read_bytes(), "scan.pdf")
    misses, silent = _misses(record, gold["cells"])
    assert not silent, silent
    assert len(misses) <= 0.01 * len(gold["cells"]), misses
    ocred = [c for c in record.cells.values() if c.status == "read"]
    assert ocred and all(c.ocr for c in ocred)  # the record says which cells were OCR'd
    assert any(c.rule == "OCR_SUSPECT_CELLS" for c in record.checks)


def test_real_report_scanned_with_a_seal_over_table_three():
    """A real text PDF, scanned: 200 dpi colour, paper tone, 1.2° skew, JPEG, a red seal over the
    header of table 三 — read back as its own text layer reads, or flagged."""
    base = shared_dir()
    if base is None or not (base / "corpus/real/huaian_city_2024.pdf").exists():
        pytest.skip("../shared corpus not available")
    import pypdfium2 as pdfium

    from gongkai.samples.office_scan import ScanStyle, office_scan
    from pipeline.api import parse_bytes

    data = (base / "corpus/real/huaian_city_2024.pdf").read_bytes()
    truth = {k: c.value for k, c in parse_bytes(data, "text.pdf").cells.items()}
    doc = pdfium.PdfDocument(data)
    where = None
    for i in range(len(doc)):  # the seal goes where 申请人情况 (table 三's header) is printed
        text = doc[i].get_textpage()
        hit = text.search("申请人情况").get_next()
        if hit:
            x0, y0, _, _ = text.get_charbox(hit[0])
            w, h = doc[i].get_size()
            where = (i + 1, (x0 / w, 1 - y0 / h))
            break
    assert where is not None
    style = ScanStyle(
        dpi=200, colour=True, skew_deg=1.2, jpeg_quality=70, seal="red", seal_pages=(where[0],), seal_at=where[1]
    )
    record = parse_bytes(office_scan(data, style, seed=1), "scan.pdf")
    misses, silent = _misses(record, truth)
    assert not silent, silent
    assert len(misses) <= 0.01 * len(truth), misses


def test_generated_photo_of_a_colour_scan_with_a_blue_seal():
    """A generated 2019-template report, photographed: perspective, 2° skew, 150 dpi, JPEG 50."""
    from gongkai.samples.office_scan import ScanStyle, office_scan
    from gongkai.samples.render_pdf import render_pdf
    from gongkai.samples.values import generate_report
    from pipeline.api import parse_bytes

    from .scan_sweep import score

    report = generate_report(random.Random(11), template="gov2019", blanks=0.02, size="small")
    style = ScanStyle(dpi=150, colour=True, skew_deg=-2.0, jpeg_quality=50, seal="blue", perspective=0.012)
    record = parse_bytes(office_scan(render_pdf(report, style="ruled"), style, seed=11), "scan.pdf")
    n, misses, unflagged = score(record, report)
    assert not unflagged, unflagged  # the promise that holds: nothing wrong goes unflagged
    if len(misses) > 0.01 * n:  # known gap (docs/pdf.md): digits under the seal at 150 dpi (185/198)
        pytest.xfail(f"page photo: {len(misses)}/{n} cells missing or flagged, not yet 99 %")
