"""The benchmark corpus, made by the project's own generator (``gongkai.samples``).

Text PDFs of 5 and 50 pages (ruled and borderless) and one long PDF for the memory target, DOCX,
DOC and WPS (one LibreOffice batch), HTML article pages, and scans (image-only excerpts of ruled
PDFs). ``manifest.json`` lists every file with its format, pages and the cells an honest parser
returns (``gongkai.samples.expected``), so a benchmark never times a parse that went wrong unnoticed.
"""

from __future__ import annotations

import hashlib
import io
import json
import random
from dataclasses import asdict, dataclass, field
from pathlib import Path

# pages of a generated report ≈ BASE_PAGES + PAGES_PER_PARAGRAPH × narrative_paragraphs
BASE_PAGES = 4
PAGES_PER_PARAGRAPH = 0.37


@dataclass(frozen=True)
class Doc:
    name: str  # file name inside the corpus directory
    fmt: str  # pdf | scan | docx | doc | wps | html
    variant: str  # e.g. "5 p ruled"; the row of the results table
    pages: int | None  # PDF pages; None where a format has no fixed pages
    sha256: str
    size: int
    expected: dict[str, int | float | None] | None = None  # cell key → value (None = missing)


@dataclass(frozen=True)
class Plan:
    """How many documents of each kind (``pdf`` entries: (pages, style, count))."""

    pdf: tuple[tuple[int, str, int], ...]
    long_pdf_pages: int
    docx: int
    doc: int
    wps: int
    html: int
    scans: int
    scan_pages: int
    scan_keep: float = 1.0  # fraction of each scanned page's height kept (from the top)


FULL = Plan(
    pdf=((5, "ruled", 4), (5, "borderless", 4), (50, "ruled", 2), (50, "borderless", 2)),
    long_pdf_pages=200,
    docx=4,
    doc=4,
    wps=3,
    html=6,
    scans=2,
    scan_pages=2,
)
QUICK = Plan(
    pdf=((5, "ruled", 1), (5, "borderless", 1)),
    long_pdf_pages=12,
    docx=1,
    doc=1,
    wps=0,
    html=1,
    scans=1,
    scan_pages=1,
    scan_keep=0.3,
)


@dataclass(frozen=True)
class Corpus:
    root: Path
    docs: tuple[Doc, ...] = field(default_factory=tuple)

    def path(self, doc: Doc) -> Path:
        return self.root / doc.name

    def by_name(self, name: str) -> Doc:
        for d in self.docs:
            if d.name == name:
                return d
        raise KeyError(name)

    def select(self, fmt: str, variant: str | None = None) -> list[Doc]:
        return [d for d in self.docs if d.fmt == fmt and (variant is None or d.variant == variant)]

    def variants(self, fmt: str) -> list[str]:
        seen: list[str] = []
        for d in self.docs:
            if d.fmt == fmt and d.variant not in seen:
                seen.append(d.variant)
        return seen


def _report(seed: int, paragraphs: int = 0):
    from gongkai.samples.values import generate_report

    rng = random.Random(seed)
    template = ("gov2021", "gov2021", "gov2019")[seed % 3]
    return generate_report(rng, template=template, blanks=(0.0, 0.05)[seed % 2], narrative_paragraphs=paragraphs)


def _expected(report) -> dict[str, int | float | None]:
    from gongkai.samples.expected import expected_cells

    return {k: v for k, (v, _status) in expected_cells(report).items()}


def n_pages(pdf: bytes) -> int:
    import pypdfium2

    doc = pypdfium2.PdfDocument(pdf)
    try:
        return len(doc)
    finally:
        doc.close()


def pdf_of_pages(seed: int, pages: int, style: str):
    """A report and its PDF with ``pages`` pages (the nearest count found if none is exact)."""
    from gongkai.samples.render_pdf import render_pdf

    paragraphs = max(0, round((pages - BASE_PAGES) / PAGES_PER_PARAGRAPH))
    best = None
    tried: set[int] = set()
    for _ in range(12):
        if paragraphs in tried:
            break
        tried.add(paragraphs)
        report = _report(seed, paragraphs)
        pdf = render_pdf(report, style=style)
        got = n_pages(pdf)
        if best is None or abs(got - pages) < abs(best[2] - pages):
            best = (report, pdf, got)
        if got == pages:
            break
        step = max(1, round(abs(pages - got) / PAGES_PER_PARAGRAPH * 0.8))
        paragraphs = max(0, paragraphs + (step if got < pages else -step))
    return best


def _excerpt(pdf: bytes, first: int, count: int, keep: float = 1.0) -> bytes:
    """Pages ``first``..``first+count-1`` (0-based) of a PDF as a new PDF; ``keep`` < 1 crops each
    page to that fraction of its height, from the top (a smaller scan for the quick run)."""
    import pypdfium2

    src = pypdfium2.PdfDocument(pdf)
    out = pypdfium2.PdfDocument.new()
    try:
        last = min(len(src), first + count)
        out.import_pages(src, list(range(min(first, len(src) - 1), last)))
        if keep < 1.0:
            for i in range(len(out)):
                page = out[i]
                left, bottom, right, top = page.get_mediabox()
                cut = top - (top - bottom) * keep
                page.set_mediabox(left, cut, right, top)
                page.set_cropbox(left, cut, right, top)
        buf = io.BytesIO()
        out.save(buf)
        return buf.getvalue()
    finally:
        out.close()
        src.close()


def build_corpus(root: str | Path, plan: Plan = FULL) -> Corpus:
    """Generate every file of ``plan`` into ``root`` and write ``root/manifest.json``."""
    from gongkai.samples.rasterize import rasterize_pdf
    from gongkai.samples.render_docx import render_docx
    from gongkai.samples.render_html import render_html
    from gongkai.samples.render_office import render_office_batch
    from gongkai.samples.render_pdf import render_pdf

    root = Path(root)
    root.mkdir(parents=True, exist_ok=True)
    docs: list[Doc] = []

    def add(name: str, data: bytes, fmt: str, variant: str, pages: int | None, expected=None) -> None:
        (root / name).write_bytes(data)
        docs.append(Doc(name, fmt, variant, pages, hashlib.sha256(data).hexdigest(), len(data), expected))

    seed = 1000
    for pages, style, count in plan.pdf:
        for i in range(count):
            seed += 1
            report, pdf, got = pdf_of_pages(seed, pages, style)
            add(f"pdf_{pages}p_{style}_{i}.pdf", pdf, "pdf", f"{pages} p {style}", got, _expected(report))
    seed += 1
    report, pdf, got = pdf_of_pages(seed, plan.long_pdf_pages, "ruled")
    add(
        f"pdf_{plan.long_pdf_pages}p_ruled_long.pdf",
        pdf,
        "pdf_long",
        f"{plan.long_pdf_pages} p ruled",
        got,
        _expected(report),
    )

    for i in range(plan.docx):
        seed += 1
        report = _report(seed)
        add(f"docx_{i}.docx", render_docx(report), "docx", "docx", None, _expected(report))

    for fmt, count in (("doc", plan.doc), ("wps", plan.wps)):
        if not count:
            continue
        reports = []
        for _ in range(count):
            seed += 1
            reports.append(_report(seed))
        blobs = render_office_batch([render_docx(r) for r in reports], fmt)
        for i, (report, blob) in enumerate(zip(reports, blobs)):
            add(f"{fmt}_{i}.{fmt}", blob, fmt, fmt, None, _expected(report))

    for i in range(plan.html):
        seed += 1
        report = _report(seed)
        enc = ("utf-8", "gb18030")[i % 2]
        add(
            f"html_{i}.html",
            render_html(report, encoding=enc, declared="gb2312" if enc == "gb18030" else None),
            "html",
            "html",
            None,
            _expected(report),
        )

    for i in range(plan.scans):
        seed += 1
        report = _report(seed)
        pdf = render_pdf(report, style="ruled")
        scan = rasterize_pdf(_excerpt(pdf, 1, plan.scan_pages, plan.scan_keep), dpi=200)
        crop = f", top {plan.scan_keep:.0%} of the page" if plan.scan_keep < 1 else ""
        add(f"scan_{i}.pdf", scan, "scan", f"scan {plan.scan_pages} p, 200 dpi{crop}", n_pages(scan))

    if plan.scans:  # a one-page scan to warm the OCR engine up before the timed runs
        seed += 1
        scan = rasterize_pdf(_excerpt(render_pdf(_report(seed), style="ruled"), 1, 1), dpi=200)
        add("scan_warm.pdf", scan, "scan_warm", "warm-up", n_pages(scan))

    corpus = Corpus(root, tuple(docs))
    (root / "manifest.json").write_text(json.dumps([asdict(d) for d in docs], ensure_ascii=False), "utf-8")
    return corpus


def load_corpus(root: str | Path) -> Corpus:
    root = Path(root)
    items = json.loads((root / "manifest.json").read_text("utf-8"))
    return Corpus(root, tuple(Doc(**d) for d in items))
