"""Generated reports rasterised to image-only PDFs, read back through OCR (not a test: a tool).

    PYTHONPATH=$PWD python -m tests.pdf.scan_sweep [--seeds 3] [--dpi 200] [--styles ruled,borderless] [--office]

For each seed, template (gov2021, gov2019) and style, ``rasterize_pdf(render_pdf(report))`` is parsed
with ``pipeline.api.parse_bytes`` and every cell compared with ``gongkai.samples.expected``. With
``--office`` the scan is ``gongkai.samples.office_scan`` in a style drawn from the seed (seals over
cells, grey or colour, skew up to 2°, 150–300 dpi, JPEG 50–90, some page photos with perspective).
A *miss* is a cell whose value or status differs; it is *flagged* when its status is ``missing``,
the record marks it ``suspect``, or a rule it takes part in fails in ``record.checks``. Prints one
line per document and the totals.
"""

from __future__ import annotations

import argparse
import random
import sys
import time

TEMPLATES = ("gov2021", "gov2019")


def score(record, report) -> tuple[int, list[str], list[str]]:
    """(cells, misses, unflagged misses)."""
    from gongkai.samples.expected import expected_cells
    from pipeline import template

    want = expected_cells(report)
    failing = {c.rule for c in record.checks if c.result == "fail"}
    rules = {r.id: r for t in ("gov2021", "gov2019") for r in template.get(t).rules}
    in_failing = {k for rid in failing if rid in rules for k in rules[rid].operands}
    misses, unflagged = [], []
    for key, (value, status) in want.items():
        cell = record.cells.get(key)
        same = (
            cell is not None
            and cell.status == status
            and (
                (cell.value is None and value is None)
                or (cell.value is not None and value is not None and abs(float(cell.value) - float(value)) < 1e-6)
            )
        )
        if same:
            continue
        misses.append(
            f"{key}: want {value}/{status}, got {cell.value if cell else None}/"
            f"{cell.status if cell else None} (raw {cell.raw if cell else None!r})"
        )
        if cell is None or not (cell.status == "missing" or cell.suspect or key in in_failing):
            unflagged.append(misses[-1])
    return len(want), misses, unflagged


def make_scan(pdf: bytes, seed: int, dpi: int, office: bool) -> tuple[bytes, str]:
    """The scan of ``pdf`` and a short description of how it was made."""
    from gongkai.samples.office_scan import draw_style, office_scan
    from gongkai.samples.rasterize import rasterize_pdf

    if not office:
        return rasterize_pdf(pdf, dpi=dpi), ""
    st = draw_style(random.Random(seed * 7919 + len(pdf) % 97))
    how = (
        f" [{st.dpi} dpi {'colour' if st.colour else 'grey'} skew {st.skew_deg}° q{st.jpeg_quality} "
        f"seal {st.seal}{' photo' if st.perspective else ''}]"
    )
    return office_scan(pdf, st, seed=seed), how


def main(argv: list[str] | None = None) -> int:
    from gongkai.samples.render_pdf import render_pdf
    from gongkai.samples.values import generate_report
    from pipeline.api import parse_bytes

    ap = argparse.ArgumentParser()
    ap.add_argument("--seeds", type=int, default=3)
    ap.add_argument("--start", type=int, default=0)
    ap.add_argument("--dpi", type=int, default=200)
    ap.add_argument("--styles", default="ruled,borderless")
    ap.add_argument("--blanks", type=float, default=0.02)
    ap.add_argument("--office", action="store_true", help="office-style scans (seals, skew, JPEG, photos)")
    a = ap.parse_args(argv)
    total = miss = unflag = 0
    for seed in range(a.start, a.start + a.seeds):
        for tpl in TEMPLATES:
            report = generate_report(
                random.Random(seed), template=tpl, blanks=a.blanks, size=("small", "medium", "large")[seed % 3]
            )
            for style in a.styles.split(","):
                scan, how = make_scan(render_pdf(report, style=style), seed, a.dpi, a.office)
                t0 = time.perf_counter()
                record = parse_bytes(scan, "scan.pdf")
                dt = time.perf_counter() - t0
                n, misses, unflagged = score(record, report)
                total, miss, unflag = total + n, miss + len(misses), unflag + len(unflagged)
                print(
                    f"seed {seed} {tpl} {style}{how}: {n - len(misses)}/{n} cells, {len(unflagged)} unflagged "
                    f"misses, {dt:.1f} s",
                    flush=True,
                )
                for m in misses:
                    print(f"    {'UNFLAGGED ' if m in unflagged else ''}{m}")
    print(f"total {total - miss}/{total} ({100 * (total - miss) / max(total, 1):.2f} %), unflagged misses {unflag}")
    return 1 if unflag or miss > 0.01 * total else 0


if __name__ == "__main__":
    sys.exit(main())
