"""How big and how fast the quality report is for many reports.

    PYTHONPATH=. python tests/report/bench_size.py [N_REPORTS] [--browser] [--random-bbox]

Builds a warehouse of N (default 2000) reports from the hand-written run of
``tests/warehouse/wh_records.py``, copied with other bytes (``run(tag=...)``) and with every cell's
value and PDF bbox replaced by seeded random numbers, so the drill-down data does not compress
better than real reports would (identical copies would). Bboxes are laid out as a PDF table is
(a row's cells share y, a column's share x); ``--random-bbox`` makes every coordinate independent,
the worst case for compression. Prints the HTML size, the drill-down JSON
size before compression, the generation time and, with ``--browser``, the time headless Chromium
takes to decode the data and open one report.
"""

from __future__ import annotations

import random
import sys
import tempfile
import time
from pathlib import Path

from tests.warehouse import wh_records as records


def _grid(keys: list[str], rng: random.Random) -> dict[str, tuple[int, list[float]]]:
    """A page and bbox per key, laid out like a PDF table: cells of a row share y, of a column x."""
    out, page, y = {}, rng.randint(1, 4), rng.uniform(600, 760)
    col_x = [round(rng.uniform(40, 70) + 62.4 * c + rng.uniform(-3, 3), 2) for c in range(7)]
    rows: dict[str, list[str]] = {}
    for key in keys:  # section 三 rows by row key; sections 二 and 四 one key per row
        row = key.split("__")[0] if key.startswith("s3_") else key
        rows.setdefault(row, []).append(key)
    for row_keys in rows.values():
        height = round(rng.uniform(14, 36), 2)
        y -= height
        if y < 60:
            page, y = page + 1, round(rng.uniform(680, 760), 2)
        for c, key in enumerate(row_keys):
            x0 = col_x[c % 7]
            out[key] = (page, [x0, round(y, 2), round(x0 + 55.1, 2), round(y + height - 2.5, 2)])
    return out


def _jitter(rec: dict, rng: random.Random, random_bbox: bool) -> None:
    """Random values (60 % zeros, a long tail) and realistic bboxes in place of the regular ones."""
    grid = _grid(list(rec["cells"]), rng)
    for key, cell in rec["cells"].items():
        if cell["status"] == "read":
            v = 0 if rng.random() < 0.6 else int(10 ** rng.uniform(0, 3.7))
            if key == "s2_fee_amount_wan_yuan":
                v = round(rng.uniform(0, 500), 2)
            cell["value"], cell["raw"] = v, str(v)
        elif cell["status"] == "imputed":
            cell["value"] = int(10 ** rng.uniform(0, 3))
        loc = cell.get("locator")
        if loc and "bbox" in loc:
            if random_bbox:  # the pessimistic case: no two cells share a coordinate
                x0, y0 = round(rng.uniform(60, 480), 2), round(rng.uniform(60, 760), 2)
                loc["page"] = rng.randint(1, 9)
                loc["bbox"] = [x0, y0, round(x0 + rng.uniform(8, 60), 2), round(y0 + rng.uniform(8, 14), 2)]
            else:
                loc["page"], loc["bbox"] = grid[key]
    sec2, sec3 = rec["report"]["sec2_variant"], rec["report"]["sec3_variant"]
    rec["checks"] = records.checks(rec["cells"], sec2, sec3)


def _valid(rec: dict) -> bool:
    """False for the run's deliberately bad record (a value that is not a number): it stays bad."""
    return all(c.get("value") is None or isinstance(c["value"], (int, float)) for c in rec["cells"].values())


def large_run(n_reports: int, seed: int = 11, random_bbox: bool = False) -> dict:
    """One run holding about ``n_reports`` reports (whole copies of the 10-report known run)."""
    rng = random.Random(seed)
    copies = max(1, round(n_reports / 10))
    run = {"run_id": "bench", "sources": records.SOURCES, "fetches": [], "documents": [], "results": []}
    for i in range(copies):
        part = records.run(run_id="bench", tag=f"B{i:05d}")
        for result in part["results"]:
            if result["record"] is not None and _valid(result["record"]):
                _jitter(result["record"], rng, random_bbox)
        for key in ("fetches", "documents", "results"):
            run[key].extend(part[key])
    return run


def build(path: Path, n_reports: int, random_bbox: bool = False) -> float:
    from warehouse.loader import load_run

    started = time.monotonic()
    load_run(path, **large_run(n_reports, random_bbox=random_bbox))
    return time.monotonic() - started


def browser_timing(html: Path) -> tuple[float, float]:
    """(seconds until the data is decoded and the list drawn, seconds to open one report)."""
    from tests.report.browser import launch

    with launch() as browser:
        page = browser.new_page()
        started = time.monotonic()
        page.goto(html.resolve().as_uri())
        page.wait_for_selector("body[data-ready=yes]", timeout=120_000)
        ready = time.monotonic() - started
        first = page.locator("#report-list tbody tr").first
        started = time.monotonic()
        first.locator("a").click()
        page.wait_for_selector("#table-s3 td.cell", timeout=60_000)
        return ready, time.monotonic() - started


def main(argv: list[str]) -> int:
    from gongkai.quality_report import write_report

    n = int(next((a for a in argv if a.isdigit()), "2000"))
    with tempfile.TemporaryDirectory() as tmp:
        db, out = Path(tmp) / "bench.duckdb", Path(tmp) / "report.html"
        load_s = build(db, n, random_bbox="--random-bbox" in argv)
        summary = write_report(db, out)
        print(f"warehouse of {summary.reports} reports loaded in {load_s:.1f}s")
        print(summary.line())
        print(
            f"per report: {summary.bytes / summary.reports / 1024:.2f} KiB of HTML, "
            f"{summary.payload_bytes / summary.reports / 1024:.2f} KiB of JSON before compression"
        )
        if "--browser" in argv:
            ready, open_s = browser_timing(out)
            print(f"chromium: data decoded and list drawn in {ready:.2f}s; one report opened in {open_s:.2f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
