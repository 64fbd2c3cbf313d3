"""Office-style scans: image-only, deterministic, degraded within the ranges offices produce."""

import io
import random

from pdfminer.high_level import extract_text

from gongkai.samples.office_scan import ScanStyle, draw_style, office_scan
from gongkai.samples.render_pdf import render_pdf
from gongkai.samples.values import generate_report


def test_office_scan_is_image_only_deterministic_and_sealed():
    import numpy as np
    import pypdfium2 as pdfium

    data = render_pdf(generate_report(random.Random(3), template="gov2021", size="small"))
    style = ScanStyle(
        dpi=100, colour=True, skew_deg=1.5, jpeg_quality=60, seal="red", seal_pages=(1,), seal_at=(0.5, 0.3)
    )
    scan = office_scan(data, style, seed=3)
    assert extract_text(io.BytesIO(scan)).strip() == ""
    assert office_scan(data, style, seed=3) == scan
    doc = pdfium.PdfDocument(scan)
    assert len(doc) == len(pdfium.PdfDocument(data))
    rgb = np.asarray(doc[0].render(scale=100 / 72).to_pil().convert("RGB")).astype(int)
    red = (rgb[..., 0] - rgb[..., 1:].max(axis=2)) > 60
    assert red.sum() > 200  # the seal is there, in colour
    grey = office_scan(data, ScanStyle(dpi=100, colour=False, seal="red"), seed=3)
    g = np.asarray(pdfium.PdfDocument(grey)[1].render(scale=100 / 72).to_pil().convert("RGB")).astype(int)
    assert ((g[..., 0] - g[..., 1:].max(axis=2)) > 60).sum() == 0  # a grey scan has no colour


def test_drawn_styles_stay_in_the_ranges_of_issue_17():
    styles = [draw_style(random.Random(i)) for i in range(200)]
    assert {s.dpi for s in styles} == {150, 200, 250, 300}
    assert all(-2.0 <= s.skew_deg <= 2.0 and 50 <= s.jpeg_quality <= 90 for s in styles)
    assert any(s.colour for s in styles) and any(not s.colour for s in styles)
    assert any(s.perspective for s in styles) and any(s.seal == "blue" for s in styles)
