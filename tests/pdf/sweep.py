"""A wide sweep of generated reports through every PDF rendering (not a test: a tool).

    PYTHONPATH=$PWD python -m tests.pdf.sweep --seeds 60 [--jobs 2] [--kinds pdf-borderless,...]

Each seed draws a template, a blank rate (0/0.02/0.1/0.3), a size and up to three report quirks;
every chosen rendering (the property test's five, and borderless with whole tables, repeated
headers, wrapped numbers) is parsed with ``pipeline.api.parse_bytes`` and checked cell by cell against
``gongkai.samples.expected`` (the property test's check). Prints one line per failure and a summary.
"""

from __future__ import annotations

import argparse
import random
import sys
import traceback
from concurrent.futures import ProcessPoolExecutor

TEMPLATES = ("gov2021", "gov2019", "hybrid")
BLANKS = (0.0, 0.02, 0.1, 0.3)
SIZES = ("small", "medium", "large")


def draw(seed: int):
    from tests.test_roundtrip_property import EXCLUSIVE, REPORT_QUIRKS
    from gongkai.samples.values import generate_report

    rng = random.Random(seed)
    template = TEMPLATES[seed % 3]
    blanks = BLANKS[(seed // 3) % 4]
    size = SIZES[(seed // 12) % 3]
    quirks = set(rng.sample(REPORT_QUIRKS, rng.randint(0, 3)))
    for group in EXCLUSIVE:
        quirks -= set(sorted(quirks & group)[1:])
    return generate_report(random.Random(seed * 7919 + 1), template=template, blanks=blanks, quirks=quirks, size=size)


def renderings() -> dict:
    """The property test's PDF renderings, plus borderless combined with the other knobs."""
    from gongkai.samples.render_pdf import render_pdf
    from tests.test_roundtrip_property import PDF_RENDERINGS

    return {
        **PDF_RENDERINGS,
        "pdf-borderless-whole": lambda r: render_pdf(r, style="borderless", split_tables=False),
        "pdf-borderless-repeat": lambda r: render_pdf(r, style="borderless", repeat_header=True),
        "pdf-borderless-wrapped": lambda r: render_pdf(r, style="borderless", wrap_numbers=True, page_numbers=False),
    }


def run_one(args: tuple[int, str]) -> tuple[int, str, str | None]:
    seed, kind = args
    from pipeline.api import parse_bytes
    from tests.test_roundtrip_property import check_record

    report = draw(seed)
    try:
        check_record(
            parse_bytes(renderings()[kind](report), "report.pdf"), report, f"{report.template} {sorted(report.quirks)}"
        )
    except AssertionError as exc:
        return seed, kind, str(exc).splitlines()[0][:600]
    except Exception:
        return seed, kind, "ERROR " + traceback.format_exc().splitlines()[-1]
    return seed, kind, None


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seeds", type=int, default=60)
    ap.add_argument("--start", type=int, default=0)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--kinds", default=",".join(sorted(renderings())))
    a = ap.parse_args(argv)
    work = [(s, k) for s in range(a.start, a.start + a.seeds) for k in a.kinds.split(",")]
    fails = 0
    with ProcessPoolExecutor(a.jobs) as pool:
        for seed, kind, err in pool.map(run_one, work, chunksize=4):
            if err:
                fails += 1
                print(f"seed {seed} {kind}: {err}", flush=True)
    print(f"{len(work) - fails}/{len(work)} passed")
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
