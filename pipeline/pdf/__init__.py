"""PDF → Layout with pdfminer.six character coordinates and ruling lines; OCR for scanned pages.

Entry point: :func:`pdf_to_layout`. See ``docs/pdf.md`` for the method and its limits.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import replace
from typing import TYPE_CHECKING

from ..layout import Layout, Line
from ..record import ParseError
from .chars import pdfminer_version, read_pages
from .health import PageHealth, assess
from .model import PageContent
from .reading import build_lines

if TYPE_CHECKING:
    from .ocr_engines import Engine

OCR_MODES = ("auto", "never", "force")

__all__ = ["pdf_to_layout", "OCR_MODES"]


def pdf_to_layout(
    data: bytes,
    *,
    max_pages: int = 300,
    ocr: str = "auto",
    timeout_s: float | None = None,
    max_inflated_mb: int = 128,
    max_page_content_mb: int = 2,
) -> Layout:
    """Convert PDF bytes to a :class:`~pipeline.layout.Layout`.

    ``ocr``: ``"auto"`` OCRs the pages whose text layer is unusable, ``"force"`` every page,
    ``"never"`` none. ``timeout_s`` bounds the whole conversion; ``max_inflated_mb`` the bytes
    inflated from all streams, ``max_page_content_mb`` those of one page's drawing instructions. Bad input raises
    :class:`~pipeline.record.ParseError` (kinds: empty, corrupt, encrypted, too_large, no_text,
    timeout) with a one-line message.
    """
    if ocr not in OCR_MODES:
        raise ValueError(f"ocr must be one of {', '.join(OCR_MODES)}, not {ocr!r}")
    deadline = time.monotonic() + timeout_s if timeout_s else None
    pages = read_pages(
        data,
        max_pages=max_pages,
        deadline=deadline,
        max_inflated_mb=max_inflated_mb,
        max_page_content_mb=max_page_content_mb,
    )
    broken = [f"page {p.number}: unreadable ({p.error}), skipped" for p in pages if p.error]
    health = [assess(p) for p in pages]
    if all(h.blank for h in health):
        raise ParseError(f"PDF has {len(pages)} page(s) and nothing on them", "empty")
    warnings: list[str] = list(broken)
    shown = [h for h in health if not h.blank]
    bad = [h for h in shown if not h.ok]
    todo = [h.page for h in shown] if ocr == "force" else [h.page for h in bad]
    engine = None
    if todo and ocr != "never":
        from .ocr import get_engine

        engine = get_engine()
    if engine is None and bad:
        pages = _skip_unreadable(pages, bad, len(shown), ocr, warnings)
    elif engine is not None:
        pages = _ocr_pages(data, pages, todo, engine, deadline, warnings)
    if deadline is not None and time.monotonic() > deadline:
        raise ParseError("timed out assembling the layout", "timeout")
    warnings.extend(
        f"page {p.number}: text runs sideways or upside down; turned by {p.turns * 90}° (bboxes are in the turned page)"
        for p in pages
        if p.turns
    )
    lines, title = build_lines(pages)
    if engine is not None:
        lines, title = _reread_ocr_lines(data, pages, lines, title, warnings)
    converter = f"pdfminer.six {pdfminer_version()}"
    if engine is not None or todo:
        from .ocr_engines import take_problems

        warnings.extend(take_problems())
    if engine is not None:
        converter += f" + {engine.label}"
    return Layout(
        lines=tuple(lines),
        format="pdf",
        converter=converter,
        pages=len(pages),
        warnings=tuple(warnings),
        title_hint=title,
    )


def _skip_unreadable(
    pages: list[PageContent], bad: list[PageHealth], shown: int, ocr: str, warnings: list[str]
) -> list[PageContent]:
    """Without an OCR engine: the pages whose text layer is unusable are emptied (a warning each), or,
    when no page is usable, the document fails (``no_text``) saying why."""
    if len(bad) == shown:
        why = (
            "OCR is disabled"
            if ocr == "never"
            else "no OCR engine installed (install rapidocr-onnxruntime, or tesseract with chi_sim)"
        )
        if ocr != "never":
            from .ocr_engines import take_problems

            why += "".join(f"; {p}" for p in take_problems()[:1])
        raise ParseError(f"no usable text layer ({_reasons(bad)}) and {why}", "no_text")
    skipped = {h.page for h in bad}
    why = "OCR disabled" if ocr == "never" else "no OCR engine installed"
    warnings.extend(f"page {h.page}: {h.reason}; page skipped ({why})" for h in bad)
    return [replace(p, chars=()) if p.number in skipped else p for p in pages]


def _ocr_pages(
    data: bytes, pages: list[PageContent], todo: list[int], engine: Engine, deadline: float | None, warnings: list[str]
) -> list[PageContent]:
    """The pages with those in ``todo`` OCR'd, in order, within the deadline."""
    from .ocr import ocr_page

    warnings.append(f"OCR ({engine.label}) on page(s) {', '.join(map(str, todo))}")
    out: list[PageContent] = []
    for p in pages:
        if p.number in todo:
            if deadline is not None and time.monotonic() > deadline:
                raise ParseError(f"timed out during OCR of page {p.number} of {len(pages)}", "timeout")
            p, notes = ocr_page(data, p, engine)
            warnings.extend(notes)
        out.append(p)
    return out


def _reread_ocr_lines(
    data: bytes, pages: list[PageContent], lines: list[Line], title: str | None, warnings: list[str]
) -> tuple[list[Line], str | None]:
    """OCR'd lines after the second looks: blank value cells read again, labels snapped to the
    template's (see ocr_blanks, ocr_labels)."""
    from .ocr_blanks import reread_blank_values
    from .ocr_labels import snap_labels

    again, notes = reread_blank_values(data, pages, lines)
    warnings.extend(notes)
    if again is not pages:
        lines, title = build_lines(again)
    lines, notes = snap_labels(lines, {p.number for p in pages if p.ocr})
    warnings.extend(notes)
    return lines, title


def _reasons(bad: Iterable[PageHealth]) -> str:
    return "; ".join(sorted({f"page {h.page}: {h.reason}" for h in bad}))[:200]
