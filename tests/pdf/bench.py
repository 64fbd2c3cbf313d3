"""PDF speed and memory (not a test: a measurement; numbers depend on the machine's load).

    PYTHONPATH=$PWD python -m tests.pdf.bench [--repeat 5] [--pages 200] [--profile]

1. Speed: the full ``pipeline.api.parse_bytes`` of a 5-page text PDF against pdfminer.six's bare
   ``extract_pages(data, laparams=None)`` over the same bytes (best of ``--repeat`` each), for a
   generated 5-page report and, when ``../shared`` is there, hongze_2024/2023.pdf and report004_seed.pdf. With
   ``--profile`` the parse time is split into pdfminer's interpretation, our layout, the interpreter.
2. Memory: the peak resident size of a fresh process that parses a ``--pages``-page generated PDF
   (``generate_report(..., narrative_paragraphs=…)``), and of one that only imports the modules.
"""

from __future__ import annotations

import argparse
import io
import json
import random
import subprocess
import sys
import time

from .helpers import REPO, shared_dir


def _best(fn, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def report_pdf(pages: int) -> bytes:
    """A generated ruled report of about ``pages`` pages (more narrative paragraphs, more pages)."""
    from gongkai.samples.render_pdf import render_pdf
    from gongkai.samples.values import generate_report

    n = 0
    while True:
        data = render_pdf(generate_report(random.Random(11), template="gov2021", size="medium", narrative_paragraphs=n))
        if _page_count(data) >= pages:
            return data
        n = max(n + 1, int(n * pages / max(_page_count(data), 1)))


def _page_count(data: bytes) -> int:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(data)
    try:
        return len(doc)
    finally:
        doc.close()


def speed(data: bytes, name: str, repeat: int, profile: bool) -> dict:
    from pdfminer.high_level import extract_pages

    from pipeline.api import parse_bytes, to_layout
    from pipeline.interpret import interpret

    bare = _best(lambda: list(extract_pages(io.BytesIO(data), laparams=None)), repeat)
    full = _best(lambda: parse_bytes(data, "x.pdf"), repeat)
    out = {
        "file": name,
        "pages": _page_count(data),
        "pdfminer_s": round(bare, 3),
        "parse_bytes_s": round(full, 3),
        "ratio": round(full / bare, 2),
    }
    if profile:
        from pipeline.pdf.chars import read_pages

        read = _best(lambda: read_pages(data, max_pages=300, deadline=None), repeat)
        layout = to_layout(data, "x.pdf")
        out["read_pages_s"] = round(read, 3)
        out["layout_s"] = round(_best(lambda: to_layout(data, "x.pdf"), repeat), 3)
        out["interpret_s"] = round(_best(lambda: interpret(layout, sha256="0" * 64, size=len(data)), repeat), 3)
    return out


# VmHWM (the peak resident size of this process image; ru_maxrss would carry the parent's over exec)
_CHILD = """
import re, sys, time
from pipeline.api import parse_bytes
import pdfminer.high_level, pipeline.pdf, pipeline.interpret
data = open(sys.argv[1], 'rb').read()
t0 = time.perf_counter()
rec = parse_bytes(data, 'x.pdf') if sys.argv[2] == 'parse' else None
dt = time.perf_counter() - t0
hwm = int(re.search(r'VmHWM:\\s+(\\d+)', open('/proc/self/status').read()).group(1))
print(hwm // 1024, round(dt, 2), len(rec.cells) if rec else 0)
"""


def memory(pages: int) -> dict:
    import tempfile

    data = report_pdf(pages)
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(data)
        f.flush()
        out = {"pages": _page_count(data), "bytes": len(data)}
        for mode in ("import", "parse"):
            res = subprocess.run(
                [sys.executable, "-c", _CHILD, f.name, mode], capture_output=True, text=True, cwd=REPO, check=True
            )
            mb, secs, cells = res.stdout.split()
            out[f"{mode}_peak_mb"] = int(mb)
            if mode == "parse":
                out["parse_s"], out["cells"] = float(secs), int(cells)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--pages", type=int, default=200)
    ap.add_argument("--profile", action="store_true")
    a = ap.parse_args(argv)
    print(json.dumps(speed(report_pdf(5), "generated 5-page report", a.repeat, a.profile), ensure_ascii=False))
    shared = shared_dir()
    if shared is not None:
        for name in ("real/hongze_2024.pdf", "real/hongze_2023.pdf", "generated/report004_seed.pdf"):
            path = shared / "corpus" / name
            if path.exists():
                print(json.dumps(speed(path.read_bytes(), name, a.repeat, a.profile), ensure_ascii=False))
    print(json.dumps(memory(a.pages), ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
