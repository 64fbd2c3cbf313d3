"""Which measurements a run makes, and running them (each in its own child process)."""

from __future__ import annotations

import dataclasses
import random
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from .corpus import Corpus
from .spawn import ChildRun, run_child


@dataclass(frozen=True)
class Settings:
    quick: bool
    fast: tuple[int, int]  # (repeats per child, rounds of children) for documents parsed in < 1 s
    slow: tuple[int, int]  # for 50-page PDFs, DOC/WPS
    ocr_warmup: bool
    crawl_repeats: int
    large_site_articles: int
    scrapy_bench_seconds: int
    load_repeats: int
    profiles: tuple[tuple[str, str, tuple[str, ...]], ...]  # (method, document, functions to report)
    e2e_formats: tuple[str, ...] = ("pdf", "docx", "doc", "wps", "html")


# functions whose cumulative time the profiles report (module.function)
WATCH_PDF = (
    "pipeline.pdf.chars.read_pages",
    "pipeline.pdf.health.assess",
    "pipeline.pdf.reading.build_lines",
    "pipeline.interpret.interpret",
)
WATCH_DOCX = (
    "pipeline.docx_layout.check_package",
    "mammoth.docx._read_document",
    "mammoth.docx._try_read_entry_or_default",
    "mammoth.docx.xmlparser.parse_xml",
    "mammoth.conversion.convert_document_element_to_html",
    "pipeline.html_layout.html_to_layout",
    "pipeline.interpret.interpret",
)
WATCH_DOC = (
    "pipeline.office.soffice_version",
    "pipeline.office.convert_batch",
    "pipeline.docx_layout.docx_to_layout",
    "pipeline.interpret.interpret",
)
WATCH_HTML = ("pipeline.html_layout.decode_html", "pipeline.html_layout.html_to_layout", "pipeline.interpret.interpret")
WATCH_LOAD = (
    "warehouse.loader.known_context",
    "warehouse.rows.build",
    "warehouse.staging.stage",
    "warehouse.loader.load_staged",
    "warehouse.migrate.ensure_schema",
    "warehouse.staging.merge",
)
FULL = Settings(
    quick=False,
    fast=(3, 2),
    slow=(3, 1),
    ocr_warmup=True,
    crawl_repeats=3,
    large_site_articles=150,
    scrapy_bench_seconds=10,
    load_repeats=3,
    profiles=(
        ("parse", "docx_0.docx", WATCH_DOCX),
        ("parse", "pdf_5p_ruled_0.pdf", WATCH_PDF),
        ("parse", "pdf_5p_borderless_0.pdf", WATCH_PDF),
        ("parse", "pdf_50p_borderless_0.pdf", WATCH_PDF),
        ("parse", "doc_0.doc", WATCH_DOC),
        ("parse", "html_0.html", WATCH_HTML),
    ),
)
QUICK = Settings(
    quick=True,
    fast=(1, 1),
    slow=(1, 1),
    ocr_warmup=False,
    crawl_repeats=1,
    large_site_articles=12,
    scrapy_bench_seconds=2,
    load_repeats=1,
    profiles=(("parse", "docx_0.docx", WATCH_DOCX),),
    e2e_formats=("pdf", "docx", "html"),
)

# methods measured on each kind of document: the stage first, then its floors
FILE_METHODS: dict[str, tuple[str, ...]] = {
    "pdf": ("parse", "pdfminer_extract_pages", "pdfminer_interpreter", "pypdfium2_text"),
    "pdf_long": ("parse", "pdfminer_extract_pages", "pypdfium2_text"),
    "docx": ("parse", "mammoth_html", "mammoth_pruned", "docx_xml"),
    "html": ("parse", "lxml_html"),
    "doc": ("parse", "office_batch"),
    "wps": ("parse", "office_batch"),
    "scan": ("ocr_force", "rapidocr_bare"),
}


def group_key(fmt: str, variant: str) -> str:
    return f"{fmt}/{variant}"


def _say(msg: str) -> None:
    print(f"[bench] {msg}", file=sys.stderr, flush=True)


def _run(job: dict, work: Path, name: str, env: dict | None = None, timeout_s: float = 900.0) -> dict:
    t0 = time.monotonic()
    res: ChildRun = run_child(job, work, name, timeout_s=timeout_s, env=env)
    status = "ok" if res.ok else f"FAILED: {res.error}"
    _say(f"  {name}: {time.monotonic() - t0:.1f} s, peak {res.maxrss_kb / 1024:.0f} MB, {status}")
    return dataclasses.asdict(res)


def _repeats(settings: Settings, fmt: str, variant: str) -> tuple[int, int, bool]:
    """(repeats, rounds, warm-up) for a group of documents."""
    if fmt == "pdf_long":
        return 1, 1, False
    if fmt == "scan":
        return 1, 1, settings.ocr_warmup
    if fmt in ("doc", "wps") or variant.startswith("50 "):
        return (*settings.slow, not settings.quick)  # a LibreOffice warm-up start costs seconds
    return (*settings.fast, True)


def run_files(corpus: Corpus, settings: Settings, work: Path, only: Callable[[str], bool]) -> dict:
    out: dict[str, dict] = {}
    for fmt, methods in FILE_METHODS.items():
        if not only(fmt):
            continue
        for variant in corpus.variants(fmt):
            docs = [d.name for d in corpus.select(fmt, variant)]
            repeats, rounds, warmup = _repeats(settings, fmt, variant)
            _say(f"{fmt} {variant}: {len(docs)} documents, {repeats} repeats × {rounds} rounds")
            for r in range(rounds):  # the stage and its floors alternate, so drifting load hits both
                for m in methods:
                    kind = "batch" if m == "office_batch" else "files"
                    job = {
                        "kind": kind,
                        "method": m,
                        "corpus": str(corpus.root),
                        "docs": docs,
                        "repeats": repeats,
                        "warmup": warmup,
                    }
                    if fmt == "scan" and warmup:
                        job["warmup_doc"] = "scan_warm.pdf"
                    key = group_key(fmt, variant) + "|" + m
                    safe = f"{fmt}-{variant}-{m}-{r}".replace(" ", "_").replace(",", "")
                    out.setdefault(key, {"fmt": fmt, "variant": variant, "method": m, "docs": docs, "runs": []})
                    out[key]["runs"].append(_run(job, work, safe, timeout_s=1800))
    return out


def run_profiles(corpus: Corpus, settings: Settings, work: Path) -> list[dict]:
    names = {d.name for d in corpus.docs}
    out = []
    for method, doc, watch in settings.profiles:
        if doc not in names:
            continue
        _say(f"profile {method} {doc}")
        job = {
            "kind": "profile",
            "method": method,
            "corpus": str(corpus.root),
            "doc": doc,
            "repeats": 1 if doc.endswith(".doc") else 2,
            "watch": list(watch),
        }
        out.append(_run(job, work, f"profile-{method}-{doc}"))
    return out


def e2e_docs(corpus: Corpus, formats: tuple[str, ...]) -> list[str]:
    """The text documents of the corpus, formats interleaved as a crawl would deliver them."""
    names = [d.name for d in corpus.docs if d.fmt in formats]
    random.Random(0).shuffle(names)
    return names


def run_e2e(corpus: Corpus, settings: Settings, work: Path) -> dict:
    docs = e2e_docs(corpus, settings.e2e_formats)
    results = work / "parse-results.jsonl"
    prefect = {"PREFECT_HOME": str(work / "prefect"), "PREFECT_SERVER_ANALYTICS_ENABLED": "false"}
    out = {}
    _say(f"end to end: {len(docs)} documents")
    for name, mode, workers in (("serial", "serial", 1), ("pool1", "pool", 1), ("pool2", "pool", 2)):
        job = {
            "kind": "e2e",
            "mode": mode,
            "workers": workers,
            "corpus": str(corpus.root),
            "docs": docs,
            "results_out": str(results) if name == "pool2" else None,
            "probe_s": 0.5 if settings.quick else 1.5,
        }
        env = {**prefect, "GONGKAI_PARSE_WORKERS": str(workers)}
        out[name] = _run(job, work, f"e2e-{name}", env=env, timeout_s=1800)
    out["results_file"] = str(results)
    return out


def run_load(corpus: Corpus, settings: Settings, work: Path, results_file: str) -> dict:
    """Our load and the floor in alternating child processes, one repeat each per round, so both see
    the same machine (it is shared): the ratio compares neighbours in time."""
    docs = e2e_docs(corpus, settings.e2e_formats)
    out: dict = {}
    _say(f"warehouse load: {len(docs)} documents, {settings.load_repeats} alternating rounds")
    env = {"PREFECT_HOME": str(work / "prefect")}
    for r in range(settings.load_repeats):
        for kind in ("load", "load_floor"):
            job = {
                "kind": kind,
                "corpus": str(corpus.root),
                "docs": docs,
                "results": results_file,
                "repeats": 1,
                "workdir": str(work),
            }
            res = _run(job, work, f"{kind}-{r}", env=env)
            if kind not in out or not out[kind].get("ok"):
                out[kind] = res
            elif res.get("ok"):
                out[kind]["output"]["runs"] += res["output"]["runs"]
                out[kind]["maxrss_kb"] = max(out[kind].get("maxrss_kb", 0), res.get("maxrss_kb", 0))
    job = {
        "kind": "profile",
        "method": "load_run",
        "corpus": str(corpus.root),
        "docs": docs,
        "results": results_file,
        "workdir": str(work),
        "watch": list(WATCH_LOAD),
    }
    out["profile"] = _run(job, work, "profile-load", env=env)
    return out


def run_crawl(settings: Settings, work: Path) -> dict:
    out = {}
    _say("crawl")
    out["demo"] = _run(
        {"kind": "crawl", "site": "demo", "repeats": settings.crawl_repeats, "workdir": str(work)}, work, "crawl-demo"
    )
    out["large"] = _run(
        {
            "kind": "crawl",
            "site": "large",
            "articles": settings.large_site_articles,
            "repeats": max(1, settings.crawl_repeats - 1),
            "workdir": str(work),
        },
        work,
        "crawl-large",
    )
    out["scrapy_bench"] = _run(
        {
            "kind": "scrapy_bench",
            "seconds": settings.scrapy_bench_seconds,
            "repeats": max(1, settings.crawl_repeats - 1),
        },
        work,
        "scrapy-bench",
    )
    return out
