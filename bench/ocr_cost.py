"""OCR cost per table page: CPU seconds and peak memory of ``pdf_to_layout`` on scans.

    PYTHONPATH=$PWD python -m bench.ocr_cost [--pages 2] [--repeat 1] [--before DIR]

Each measurement runs in a fresh process (peak resident size = VmHWM of that process, so one
measurement's memory does not hide in another's), on a one- or two-page office-style scan of a
generated ruled report (section 三 table pages, 200 dpi, skew, a seal, JPEG), and reports:

- our OCR route (``pdf_to_layout(scan)``: clean-up, page pass, grid, every value cell re-read);
- the floor: bare RapidOCR (its default settings) on the same pages rendered at 300 dpi.

``--before DIR`` measures another checkout's ``pdf_to_layout`` too (e.g. ``/work/main``), the sides
alternating in each repeat. CPU seconds (user + system of the process, all threads, and of its
children: tesseract, the second reader of doubtful cells, runs as a subprocess) rather than wall clock: the machine is
shared by several jobs, and wall time measures the neighbours as much as us; the wall clock of
the work is printed too (what a page costs on an otherwise quiet machine, both cores in use). The
ratio is ours over the floor's CPU, as in ``docs/benchmarks.md``.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile

CHILD = r"""
import json, os, resource, sys, time
path, how = sys.argv[1], sys.argv[2]
data = open(path, "rb").read()
t0 = os.times()
if how == "ours":
    from pipeline.pdf import pdf_to_layout
    from pipeline.pdf.ocr import get_engine
    get_engine()
    t0, w0 = os.times(), time.perf_counter()
    pdf_to_layout(data)
else:
    import numpy as np
    import pypdfium2 as pdfium
    from rapidocr_onnxruntime import RapidOCR
    engine = RapidOCR()
    t0, w0 = os.times(), time.perf_counter()
    doc = pdfium.PdfDocument(data)
    for i in range(len(doc)):
        img = np.array(doc[i].render(scale=300 / 72, grayscale=True).to_pil().convert("RGB"))
        engine(img)
t1, w1 = os.times(), time.perf_counter()
with open("/proc/self/status") as fh:
    hwm = next(int(l.split()[1]) for l in fh if l.startswith("VmHWM"))
cpu = sum(b - a for a, b in zip(t0[:4], t1[:4]))  # user + system, of this process and its children (tesseract)
print(json.dumps({"cpu": cpu, "wall": w1 - w0, "peak_mb": hwm // 1024}))
"""


def make_scan(pages: int, seed: int) -> bytes:
    """Section 三 pages of a generated ruled report, scanned office-style."""
    import pypdfium2 as pdfium

    from gongkai.samples.office_scan import ScanStyle, office_scan
    from gongkai.samples.render_pdf import render_pdf
    from gongkai.samples.values import generate_report

    report = generate_report(random.Random(seed), template="gov2021", blanks=0.02, size="large")
    pdf = render_pdf(report, style="ruled")
    src = pdfium.PdfDocument(pdf)
    out = pdfium.PdfDocument.new()
    first = max(0, len(src) - 1 - pages)  # the table pages sit at the end of the report
    out.import_pages(src, list(range(first, first + pages)))
    import io

    buf = io.BytesIO()
    out.save(buf)
    style = ScanStyle(dpi=200, colour=True, skew_deg=1.1, jpeg_quality=70, seal="red", seal_pages=(1,))
    return office_scan(buf.getvalue(), style, seed=seed)


def measure(path: str, how: str, code: str | None = None) -> dict:
    env = dict(os.environ, PYTHONPATH=code or os.getcwd())
    out = subprocess.run(
        [sys.executable, "-c", CHILD, path, how], capture_output=True, text=True, env=env, timeout=3600, check=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--pages", type=int, default=2)
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--seed", type=int, default=5)
    ap.add_argument("--before", help="another checkout of the project, measured in the same run (alternating)")
    a = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "scan.pdf")
        with open(path, "wb") as fh:
            fh.write(make_scan(a.pages, a.seed))
        sides = [("ours", None), ("floor", None)] + ([("before", a.before)] if a.before else [])
        runs: dict[str, list[dict]] = {how: [] for how, _ in sides}
        for _ in range(a.repeat):  # alternating, so that a change of load hits every side
            for how, code in sides:
                runs[how].append(measure(path, "floor" if how == "floor" else "ours", code))
        rows = {}
        for how, _ in sides:
            best = min(runs[how], key=lambda r: r["cpu"])
            rows[how] = {
                "cpu_per_page": best["cpu"] / a.pages,
                "wall_per_page": min(r["wall"] for r in runs[how]) / a.pages,
                "peak_mb": max(r["peak_mb"] for r in runs[how]),
            }
            r = rows[how]
            print(
                f"{how:6s}: {r['cpu_per_page']:.2f} CPU s/page, {r['wall_per_page']:.2f} s/page wall, peak {r['peak_mb']} MB",
                flush=True,
            )
    for how in rows:
        if how != "floor":
            print(f"ratio {how}/floor: {rows[how]['cpu_per_page'] / rows['floor']['cpu_per_page']:.2f}")
    print(f"load average after the run: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
