"""``python -m bench [--quick] [--out FILE] [--json FILE] [--work DIR] [--only STAGES]``."""

from __future__ import annotations

import argparse
import json
import shlex
import shutil
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

from . import corpus as corpus_mod
from . import plan as plan_mod
from . import report, rows
from .machine import describe, load_average
from .spawn import REPO

STAGES = ("pdf", "docx", "html", "doc", "ocr", "e2e", "load", "crawl", "profile")


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    p.add_argument("--quick", action="store_true", help="tiny corpus, one repeat (the smoke test)")
    p.add_argument(
        "--out",
        help="markdown to write (default: docs/benchmarks.md; with --quick: $TMPDIR/gongkai-benchmarks-quick.md)",
    )
    p.add_argument("--json", help="also write every raw measurement to this JSON file")
    p.add_argument("--work", help="working directory to use and keep (default: a temporary one, removed)")
    p.add_argument("--only", help=f"comma-separated subset of {','.join(STAGES)}")
    p.add_argument(
        "--render",
        metavar="RAW.json",
        help="measure nothing: rewrite the table and markdown from a run saved with --json",
    )
    return p


def _corpus_lines(c: corpus_mod.Corpus) -> list[str]:
    out = []
    for fmt in ("pdf", "pdf_long", "docx", "doc", "wps", "html", "scan"):
        for v in c.variants(fmt):
            docs = c.select(fmt, v)
            pages = sorted({d.pages for d in docs if d.pages})
            size = sum(d.size for d in docs) / len(docs) / 1024
            p = f", {pages[0]}–{pages[-1]} pages" if len(pages) > 1 else (f", {pages[0]} pages" if pages else "")
            out.append(f"{fmt} {v}: {len(docs)} file{'s' if len(docs) != 1 else ''}{p}, {size:.0f} KB on average")
    return out


def render(raw: dict, out_md: Path) -> int:
    """Print the table and targets of a run's raw measurements and write the markdown."""
    c = corpus_mod.Corpus(Path(raw["corpus_root"]), tuple(corpus_mod.Doc(**d) for d in raw["corpus"]))
    meta = raw["meta"]
    file_rows, measured = rows.file_rows(raw["files"], c)
    e2e_rows, e2e_info = rows.e2e_rows(raw["e2e"]) if raw["e2e"] else ([], {})
    load_rows, load_info = rows.load_rows(raw["load"]) if raw["load"] else ([], {})
    crawl_rows, _ = rows.crawl_rows(raw["crawl"]) if raw["crawl"] else ([], {})
    all_rows = file_rows + e2e_rows + load_rows + crawl_rows
    verdicts = rows.targets(measured, e2e_info, c, meta["quick"], meta["loadavg_end"])
    print(report.text_table(all_rows))
    print()
    print(report.targets_text(verdicts))
    md = report.markdown(
        rows=all_rows,
        targets=verdicts,
        machine=raw["machine"],
        meta=meta,
        profiles=raw["profiles"] + [v for k, v in raw["load"].items() if k == "profile"],
        e2e=e2e_info,
        load=load_info,
        corpus_lines=_corpus_lines(c),
    )
    out_md.parent.mkdir(parents=True, exist_ok=True)
    out_md.write_text(md, "utf-8")
    print(f"\nwrote {out_md}", file=sys.stderr)
    failed = [r for r in all_rows if r.per_doc.startswith("failed")]
    return 1 if failed else 0


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.render:
        try:
            raw = json.loads(Path(args.render).read_text("utf-8"))
        except (OSError, json.JSONDecodeError) as err:
            print(f"python -m bench: cannot read {args.render}: {err}", file=sys.stderr)
            return 2
        if not isinstance(raw, dict) or not {"corpus_root", "corpus", "files", "meta"} <= set(raw):
            print(f"python -m bench: {args.render} is not a run saved with --json by this version", file=sys.stderr)
            return 2
        return render(raw, Path(args.out) if args.out else REPO / "docs" / "benchmarks.md")
    only = set(args.only.split(",")) if args.only else set(STAGES)
    unknown = only - set(STAGES)
    if unknown:
        print(
            f"python -m bench: unknown stage(s) {', '.join(sorted(unknown))}; choose from {', '.join(STAGES)}",
            file=sys.stderr,
        )
        return 2
    settings = plan_mod.QUICK if args.quick else plan_mod.FULL
    work = Path(args.work) if args.work else Path(tempfile.mkdtemp(prefix="gongkai-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    default_md = (
        Path(tempfile.gettempdir()) / "gongkai-benchmarks-quick.md" if args.quick else REPO / "docs" / "benchmarks.md"
    )
    out_md = Path(args.out) if args.out else default_md
    started = time.monotonic()
    meta = {
        "command": "python -m bench " + shlex.join(argv if argv is not None else sys.argv[1:]),
        "quick": args.quick,
        "loadavg_start": load_average(),
        "started": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M"),
    }
    try:
        plan_mod._say(f"building the corpus in {work / 'corpus'}")
        c = corpus_mod.build_corpus(work / "corpus", corpus_mod.QUICK if args.quick else corpus_mod.FULL)
        fmt_stage = {
            "pdf": "pdf",
            "pdf_long": "pdf",
            "docx": "docx",
            "html": "html",
            "doc": "doc",
            "wps": "doc",
            "scan": "ocr",
            "scan_warm": "ocr",
        }
        raw: dict = {
            "machine": describe(),
            "corpus_root": str(c.root),
            "corpus": [d.__dict__ | {"expected": None} for d in c.docs],
        }
        raw["files"] = plan_mod.run_files(c, settings, work, lambda fmt: fmt_stage[fmt] in only)
        raw["profiles"] = plan_mod.run_profiles(c, settings, work) if "profile" in only else []
        raw["e2e"] = plan_mod.run_e2e(c, settings, work) if "e2e" in only else {}
        # without the end-to-end stage, the parse results an earlier run left in --work (if any)
        results_file = raw["e2e"].get("results_file") or str(work / "parse-results.jsonl")
        raw["load"] = plan_mod.run_load(c, settings, work, results_file) if "load" in only else {}
        raw["crawl"] = plan_mod.run_crawl(settings, work) if "crawl" in only else {}
        meta["loadavg_end"] = load_average()
        meta["finished"] = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M")
        meta["seconds"] = time.monotonic() - started
        raw["meta"] = meta
        if args.json:
            Path(args.json).write_text(json.dumps(raw, ensure_ascii=False, default=str, indent=1), "utf-8")
        return render(raw, out_md)
    finally:
        if not args.work:
            shutil.rmtree(work, ignore_errors=True)
