"""The OCR route: an image-only PDF made from one of our ruled reports is read back cell by cell."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from pipeline import template
from pipeline.pdf import pdf_to_layout
from pipeline.pdf.ocr import available_engines
from pipeline.record import ParseError

from .helpers import REPO, S3_COLS, find_row, s3_rows, values
from .scan import rasterise
from .synth import ruled_table_pdf

pytestmark = pytest.mark.slow  # OCR

needs_rapid = pytest.mark.skipif("rapidocr" not in available_engines(), reason="RapidOCR not installed")


def _s3(layout) -> dict[str, str | None]:
    """Section 三 cell texts; None for a row whose label could not be found (a missing cell)."""
    out: dict[str, str | None] = {}
    for row_key, kw, group in s3_rows("gov2021"):
        try:
            got = values(find_row(layout, kw, group), len(S3_COLS))
        except AssertionError:
            got = [None] * len(S3_COLS)
        for col, v in zip(S3_COLS, got):
            out[f"s3_{row_key}__{col}"] = v
    return out


def _failing_rules(cells: dict[str, str | None]) -> set[str]:
    """Keys that take part in a template rule that fails on these values."""
    nums = {k: float(v) for k, v in cells.items() if v not in (None, "")}
    bad: set[str] = set()
    for rule in template.get("gov2021").rules:
        if all(k in nums for k in rule.operands):
            if abs(sum(nums[k] for k in rule.lhs) - sum(nums[k] for k in rule.rhs)) > 1e-6:
                bad.update(rule.operands)
    return bad


@pytest.fixture(scope="module")
def scanned():
    data, expected = ruled_table_pdf(seed=3)
    return pdf_to_layout(rasterise(data, dpi=150)), expected


@needs_rapid
def test_scan_goes_through_ocr(scanned):
    layout, _ = scanned
    assert "rapidocr-onnxruntime 1.4" in layout.converter
    assert layout.warnings[0].startswith("OCR (rapidocr-onnxruntime")
    cells = [c for ln in layout.lines for c in ln.cells if c.text]
    assert cells and all(c.confidence is not None and 0 <= c.confidence <= 1 for c in cells)
    assert layout.lines[0].text == "三、收到和处理政府信息公开申请情况"


@needs_rapid
def test_scan_recovers_cells_and_flags_every_miss(scanned):
    layout, expected = scanned
    got = _s3(layout)
    want = {k: v for k, v in expected.items() if k.startswith("s3_")}
    assert len(want) == 175
    misses = [k for k, v in want.items() if got[k] != v]
    assert len(misses) <= 0.01 * len(want), {k: (want[k], got[k]) for k in misses}
    failing = _failing_rules(got)
    unflagged = [k for k in misses if got[k] not in (None, "") and k not in failing]
    assert not unflagged, unflagged


def test_scan_without_ocr_is_no_text():
    data, _ = ruled_table_pdf(seed=3)
    with pytest.raises(ParseError) as err:
        pdf_to_layout(rasterise(data, dpi=60), ocr="never")
    assert err.value.kind == "no_text" and "OCR is disabled" in str(err.value)


def test_scan_without_any_ocr_engine_is_a_clear_error(tmp_path):
    data, _ = ruled_table_pdf(seed=3)
    path = tmp_path / "scan.pdf"
    path.write_bytes(rasterise(data, dpi=60))
    script = (
        "import sys; sys.modules['rapidocr_onnxruntime'] = None\n"
        "from pipeline.pdf import pdf_to_layout\n"
        "from pipeline.pdf.ocr import available_engines\n"
        "from pipeline.record import ParseError\n"
        "assert available_engines() == [], available_engines()\n"
        "try:\n"
        f"    pdf_to_layout(open({str(path)!r}, 'rb').read())\n"
        "except ParseError as e:\n"
        "    print(e.kind + ': ' + str(e))\n"
    )
    env = dict(os.environ, PYTHONPATH=str(REPO), PATH=str(tmp_path))  # no tesseract on PATH
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=120)
    assert out.returncode == 0, out.stderr
    lines = out.stdout.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("no_text: no usable text layer"), out.stdout
    assert "no OCR engine installed" in lines[0]


@pytest.mark.skipif("tesseract" not in available_engines(), reason="tesseract with chi_sim not installed")
def test_tesseract_fallback_reads_the_scan():
    from pipeline.pdf.chars import read_pages
    from pipeline.pdf.ocr import ocr_page
    from pipeline.pdf.ocr_engines import TesseractEngine, _tesseract_path
    from pipeline.pdf.reading import build_lines
    from pipeline.layout import Layout

    data, expected = ruled_table_pdf(seed=3)
    scan = rasterise(data, dpi=150)
    page, notes = ocr_page(scan, read_pages(scan)[0], TesseractEngine(_tesseract_path()))
    lines, _ = build_lines([page])
    got = _s3(Layout(tuple(lines), "pdf", "test", 1))
    right = sum(1 for k, v in expected.items() if k.startswith("s3_") and got[k] == v)
    assert right >= 0.9 * 175, right


@needs_rapid
@pytest.mark.parametrize("template", ["gov2021", "gov2019"])
def test_generated_borderless_scan_recovers_cells_and_flags_every_miss(template):
    """A generated borderless report rasterised to an image-only PDF: no rulings, so columns come
    from the header words and the numbers; blank value cells are read again from the image."""
    import random

    from gongkai.samples.rasterize import rasterize_pdf
    from gongkai.samples.render_pdf import render_pdf
    from gongkai.samples.values import generate_report
    from pipeline.api import parse_bytes

    from .scan_sweep import score

    report = generate_report(random.Random(2), template=template, blanks=0.02, size="large")
    record = parse_bytes(rasterize_pdf(render_pdf(report, style="borderless"), dpi=200), "scan.pdf")
    n, misses, unflagged = score(record, report)
    assert len(misses) <= 0.01 * n, misses
    assert not unflagged, unflagged
