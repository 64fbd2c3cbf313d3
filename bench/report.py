"""The results as a text table (stdout) and as ``docs/benchmarks.md``."""

from __future__ import annotations

import statistics
from pathlib import Path

from .rows import Row, Target, secs

HEAD = (
    "Stage",
    "Input",
    "n",
    "Pages",
    "Median / doc",
    "Median / page",
    "Throughput",
    "Peak RSS (Δ imports)",
    "Floor",
    "Floor median, peak",
    "Ratio",
    "Check",
)
NOTES = Path(__file__).with_name("notes.md")


def _cells(r: Row) -> tuple[str, ...]:
    return (
        r.stage,
        r.input,
        r.n,
        r.pages,
        r.per_doc,
        r.per_page,
        r.throughput,
        r.peak,
        r.floor,
        r.floor_value,
        f"{r.ratio:.2f}×" if r.ratio is not None else "—",
        r.check,
    )


def text_table(rows: list[Row]) -> str:
    body = [HEAD] + [_cells(r) for r in rows]
    keep = [0, 1, 2, 3, 4, 5, 7, 8, 9, 10]  # the terminal table leaves out throughput and checks
    body = [tuple(c.split(" (")[0] if i == 8 else c for i, c in enumerate(line)) for line in body]
    widths = [max(_w(line[i]) for line in body) for i in keep]
    out = []
    for n, line in enumerate(body):
        out.append("  ".join(line[i] + " " * (w - _w(line[i])) for i, w in zip(keep, widths)).rstrip())
        if n == 0:
            out.append("  ".join("-" * w for w in widths))
    return "\n".join(out)


def _w(s: str) -> int:
    """Display width (CJK characters take two columns)."""
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in s)


def _md_row(cells) -> str:
    return "| " + " | ".join(str(c).replace("|", "\\|") for c in cells) + " |"


def targets_text(targets: list[Target]) -> str:
    lines = []
    for t in targets:
        verdict = {True: "met", False: "NOT met", None: "not assessed"}[t.met]
        lines.append(f"{verdict:>12}  {t.goal}: {t.measured}" + (f" — {t.why}" if t.why else ""))
    return "\n".join(lines)


def _profile_md(profiles: list[dict]) -> list[str]:
    out = []
    for p in profiles:
        o = p.get("output") or {}
        if not p.get("ok"):
            out.append(f"- profile {p['job'].get('method')} {p['job'].get('doc')}: failed ({p.get('error')})")
            continue
        areas = ", ".join(f"{a['area']} {a['share']:.0%}" for a in o["areas"][:8] if a["share"] >= 0.01)
        out.append(
            f"**{o['method']} on {o['doc']}** ({secs(o['wall'])} under cProfile, which slows Python code "
            f"down). Own time by package or module (C built-ins charged to their callers): {areas}."
        )
        out.append("")
        out.append("| function (per run) | calls | cumulative | own |")
        out.append("|---|---|---|---|")
        shown = set()
        for f in (o.get("watched") or []) + o["functions"][:4]:
            if f["function"] in shown:
                continue
            shown.add(f["function"])
            out.append(_md_row((f"`{f['function']}`", f"{f['calls']:g}", secs(f["cumulative"]), secs(f["own"]))))
        out.append("")
    return out


def markdown(
    *,
    rows: list[Row],
    targets: list[Target],
    machine: dict,
    meta: dict,
    profiles: list[dict],
    e2e: dict,
    load: dict,
    corpus_lines: list[str],
) -> str:
    md = [
        *_header_md(machine, meta),
        *_method_md(corpus_lines),
        "## Results",
        "",
        _md_row(HEAD),
        _md_row(["---"] * len(HEAD)),
        *[_md_row(_cells(r)) for r in rows],
        "",
        "## Targets",
        "",
        "| target | measured | verdict | why |",
        "|---|---|---|---|",
        *[
            _md_row((t.goal, t.measured, {True: "met", False: "**not met**", None: "not assessed"}[t.met], t.why or ""))
            for t in targets
        ],
        "",
    ]
    md += _e2e_md(e2e)
    md += [
        "## Where the time goes",
        "",
        "cProfile of one run of a stage on one document (the first of its "
        "group), after a warm-up run; the table lists the functions this benchmark watches and the "
        "outermost calls.",
        "",
    ] + _profile_md(profiles)
    if NOTES.exists():
        md += ["## Analysis and what would fix the misses", "", NOTES.read_text("utf-8").strip(), ""]
    if load.get("tables"):
        md += [
            "## Warehouse rows",
            "",
            "Rows one load writes, by table: "
            + ", ".join(f"{k} {v:,}" for k, v in sorted(load["tables"].items()))
            + ".",
            "",
        ]
    md += REPRODUCE
    return "\n".join(md)


def _header_md(machine: dict, meta: dict) -> list[str]:
    pk = machine["packages"]
    la0, la1 = meta["loadavg_start"], meta["loadavg_end"]
    return [
        "# Benchmarks",
        "",
        f"Written by `{meta['command']}` on {meta['finished']} (UTC), in {meta['seconds'] / 60:.1f} minutes"
        + (
            " — **quick mode: tiny corpus, one repeat; the numbers are not the reference ones**"
            if meta["quick"]
            else ""
        )
        + "."
        + (f" The warehouse load rows: {meta['load_rows_note']}." if meta.get("load_rows_note") else ""),
        "",
        f"**Machine**: {machine['cpu']}, {machine['cores']} cores, {machine['memory_gb']} GB RAM; {machine['os']}, "
        f"Linux {machine['kernel']}; Python {machine['python']}; {machine['libreoffice']}; "
        + ", ".join(f"{k} {v}" for k, v in pk.items())
        + ".",
        "",
        f"**Load**: the machine is shared with other work; load average (1, 5, 15 min) "
        f"{la0[0]:.1f} / {la0[1]:.1f} / {la0[2]:.1f} at the start and {la1[0]:.1f} / {la1[1]:.1f} / {la1[2]:.1f} at "
        "the end, on 2 cores. Absolute times therefore carry noise; the ratios compare a stage with its floor "
        "measured in the same run, on the same files, in alternating child processes, and are the numbers to read.",
        "",
    ]


def _method_md(corpus_lines: list[str]) -> list[str]:
    return [
        "## How it is measured",
        "",
        "- **Corpus**: made by the project's own generator (`gongkai.samples`, see docs/samples.md) in a temporary "
        "directory; every file's expected cells come from `gongkai.samples.expected`, and the *Check* column "
        "counts the cells the parse got exactly right, so a fast wrong parse would show.",
        *[f"  - {line}" for line in corpus_lines],
        "- **Isolation**: every measurement runs in its own child process (`python -m bench.child`); its peak "
        "memory is `ru_maxrss` from `os.wait4` on that child (the same number "
        "`getrusage(RUSAGE_CHILDREN)` gives a parent with this one child; it includes descendants it waited for, "
        "e.g. LibreOffice or the Scrapy crawl, as the larger of the two, never their sum). *Δ imports* is the peak "
        "minus the process's peak right after its imports and set-up.",
        "- **Timing**: wall clock (`perf_counter`) of the call on bytes already in memory, after one untimed "
        "warm-up call (imports, caches, the OCR engine's first run); *Median / doc* is the median over every "
        "(document, repeat) sample, *Median / page* the median of sample ÷ pages, *Throughput* 3600 ÷ median "
        "per document (one process on one core). *Ratio* = median over documents "
        "of (stage median ÷ floor median) for that document: above 1 the stage costs more than its floor. For "
        "rates (crawl, load, end to end) the ratio is floor rate ÷ our rate, i.e. again our cost over the floor's.",
        "- **Floors**: PDF — pdfminer's `extract_pages(path, laparams=None)` consumed (note: pdfminer replaces "
        "`laparams=None` by default `LAParams()`, so this pass includes its layout analysis), pdfminer's "
        "interpreter alone (`PDFPageAggregator(laparams=None)`, what `pipeline.pdf` itself builds on), and "
        "pypdfium2 text extraction (`get_textpage().get_text_range()`, the practical floor for text); DOCX — "
        "mammoth's bare `convert_to_html` (what `pipeline.docx_layout` builds on); for information, mammoth on "
        "the package with `styles.xml` pruned to the styles the document uses (a measured proposal, "
        "`bench/prototype.py`; the check compares its HTML with the unpruned conversion) and an lxml parse of "
        "`word/document.xml` (what a direct reader would start from); HTML — `lxml.html.document_fromstring`; DOC/WPS — the same documents "
        "converted in one batched LibreOffice start (`pipeline.office.convert_batch`) and parsed; OCR — RapidOCR "
        "with its default settings on each page rendered at 300 dpi; crawl — `scrapy bench` (Scrapy's local "
        "server and link-following spider, run outside the project with Scrapy's defaults: 16 concurrent, 8 per "
        "domain); warehouse — DuckDB's bulk insert of the same rows (Arrow tables → `CREATE TABLE AS`, one "
        "transaction; ours loads into an empty warehouse whose schema was made beforehand, untimed, each after "
        "one untimed warm-up load, ours and the floor in alternating child processes, one repeat each per round; "
        "the *again* row loads the same run a second time into the warehouse that holds it); end to "
        "end — the same documents parsed in one process without a child.",
        "- **Crawl**: our spider (`crawler.collect.crawl_source`, a `scrapy crawl` subprocess) on a sample portal "
        "served by `PortalServer` on 127.0.0.1, politeness off (`DOWNLOAD_DELAY` 0, no jitter, AutoThrottle "
        "off, 16 concurrent / 8 per domain as `scrapy bench`); pages/s = responses ÷ Scrapy's "
        "`elapsed_time_seconds`. The large portal is `build_trs_site` with generated articles (every fifth with "
        "a PDF attachment).",
        "- **End to end**: `runner.parse.run_parse` (one supervised child per document, `GONGKAI_PARSE_WORKERS` at once) fed by as many threads "
        "as the `gongkai-run` flow's task runner has, each doing what the `parse` task does; no Prefect server "
        "(its bookkeeping is not measured). *Cores busy* = the children's CPU time (theirs and LibreOffice's, "
        "measured by each child with `getrusage`) ÷ wall time; *occupied* = the time inside `run_parse` ÷ (wall × workers); "
        "*free* = how many cores two busy-looping processes got just before and after the batch (a probe of "
        "what the other work on the machine left). The documents are every text document of the corpus, "
        "formats interleaved (seeded shuffle); the parse results of the 2-worker run feed the warehouse load.",
        "",
    ]


REPRODUCE = [
    "## Reproduce",
    "",
    "```sh",
    "PYTHONPATH=$PWD .venv/bin/python -m bench            # full run (≈ 8–15 min on 2 cores), writes docs/benchmarks.md",
    "PYTHONPATH=$PWD .venv/bin/python -m bench --quick --out /tmp/b.md   # smoke run (≈ 1–2 min)",
    "PYTHONPATH=$PWD .venv/bin/python -m bench --json raw.json           # keep every measurement",
    "PYTHONPATH=$PWD .venv/bin/python -m bench --render raw.json         # rewrite this page from them",
    "```",
    "",
    "Raw measurements of this run: `--json FILE` writes them (every sample, every child's rusage).",
    "",
]


def _e2e_md(info: dict) -> list[str]:
    if not info:
        return []
    out = [
        "## End to end, by format",
        "",
        "Per format, the time a worker spent on each document and the CPU it used (children included), in "
        "each run; *docs/h per core* = 3600 ÷ CPU per document, what one fully available core would "
        "give (a national mix is mostly PDF). CPU time is the number that does not depend on how much "
        "of the machine other work took.",
        "",
        "| format | documents | wall / doc: one process, 1 worker, 2 workers | CPU / doc: one process, 1 worker, "
        "2 workers | docs/h per core |",
        "|---|---|---|---|---|",
    ]
    runs = [info.get(k, {}).get("by_format", {}) for k in ("serial", "pool1", "pool2")]
    for fmt in sorted(set().union(*runs)):
        per = [r.get(fmt) for r in runs]
        walls = ", ".join(secs(f["wall"] / f["n"]) if f else "—" for f in per)
        cpus = ", ".join(secs(f["cpu"] / f["n"]) if f else "—" for f in per)
        cpu_all = [f["cpu"] / f["n"] for f in per if f and f["cpu"]]
        n = next(f["n"] for f in per if f)
        out.append(_md_row((fmt, n, walls, cpus, f"{3600 / statistics.median(cpu_all):,.0f}" if cpu_all else "—")))
    out.append("")
    for k, label in (("serial", "one process, no pool"), ("pool1", "pool, 1 worker"), ("pool2", "pool, 2 workers")):
        if k in info:
            v = info[k]
            extra = (
                f"; {v['cores_busy']:.2f} cores busy, workers {v['occupancy']:.0%} occupied, "
                f"{v['threads']} task threads"
                if "cores_busy" in v
                else ""
            )
            if v.get("cores_available") is not None:
                extra += f"; {v['cores_available']:.2f} cores free (probe)"
            out.append(
                f"- {label}: {secs(v['wall'])} for the batch, {v['docs_per_hour']:,.0f} docs/h{extra}; "
                f"100,000 documents of this mix would take {100000 / v['docs_per_hour']:.0f} h."
            )
    cpu = [sum(f["cpu"] for f in r.values()) / sum(f["n"] for f in r.values()) for r in runs if r]
    if cpu:
        c = statistics.median(cpu)
        out.append(
            f"- CPU per document of this mix (median of the runs): {secs(c)}, i.e. {3600 / c:,.0f} docs/h "
            f"per free core; 100,000 documents on two free cores: {100000 * c / 2 / 3600:.1f} h."
        )
    out.append("")
    return out
