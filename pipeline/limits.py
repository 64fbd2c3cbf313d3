"""What parsing one document may cost: one set of limits, read from ``GONGKAI_*`` variables.

Structural limits (file size, pages, table cells, nesting, lines, unpacked and inflated size) are
checked by the converters as they read, in this pure package. Memory, wall-clock time and the size
of the result are enforced by the one supervised child of :mod:`runner.supervisor`, from the same
:class:`Limits`. See ``docs/reliability.md``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, fields
from typing import Any, Mapping

ENV_PREFIX = "GONGKAI_"
GUARD_MODES = ("on", "off")


@dataclass(frozen=True, slots=True)
class Limits:
    """What one document may cost. Every field can be set with ``GONGKAI_<FIELD>`` (upper case)."""

    max_bytes: int = 200 * 1024 * 1024  # size of the file
    max_pages: int = 300  # PDF pages
    seconds_per_page: float = 5.0  # wall clock per page read from its text layer
    ocr_seconds_per_page: float = 30.0  # per page that may need OCR (measured 12-18 s on 2 cores)
    base_seconds: float = 30.0  # per document: start-up, LibreOffice, loading the OCR models
    max_seconds: float = 600.0  # per document, whatever its pages
    max_memory_mb: int = 1536  # resident memory of the parse and the processes it starts
    max_output_mb: int = 64  # the record sent back by the child (a report's record: ~0.3 MB)
    max_unpacked_mb: int = 256  # DOCX: all parts unpacked
    max_inflated_mb: int = 128  # PDF: all streams inflated (corpus PDFs: < 1 MB; a full CJK font ~20 MB)
    max_page_content_mb: int = 2  # PDF: one page's drawing instructions inflated (real pages: < 50 kB)
    max_members: int = 5000  # DOCX / zip: parts in the package
    max_cells: int = 100_000  # table cells: HTML <td>/<th>, DOCX <w:tc>, tab-separated text (a report: ~500)
    max_nesting: int = 128  # HTML element depth (real report pages: about 25; libxml2 stops at 255)
    max_lines: int = 200_000  # lines of text / blocks of HTML (a report has a few thousand)
    guard: str = "on"  # on: a supervised child (runner.supervisor); off: structural limits only, in process

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name != "guard" and not value > 0:
                raise ValueError(f"limit {f.name} must be positive, not {value!r}")
        if self.guard not in GUARD_MODES:
            raise ValueError(f"limit guard must be one of {', '.join(GUARD_MODES)}, not {self.guard!r}")
        if self.max_nesting > 255:
            raise ValueError("limit max_nesting cannot exceed 255 (libxml2's own depth limit)")

    def budget(self, pages: int = 1, ocr_pages: int = 0) -> float:
        """Seconds allowed for a document of ``pages`` pages, ``ocr_pages`` of which may need OCR."""
        pages = max(1, pages)
        ocr_pages = min(max(0, ocr_pages), pages)
        seconds = (
            self.base_seconds + self.seconds_per_page * (pages - ocr_pages) + self.ocr_seconds_per_page * ocr_pages
        )
        return min(self.max_seconds, seconds)

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **overrides: Any) -> "Limits":
        """Defaults, then ``GONGKAI_<FIELD>`` variables, then ``overrides`` (None values ignored)."""
        env = os.environ if env is None else env
        values: dict[str, Any] = {}
        for f in fields(cls):
            raw = env.get(ENV_PREFIX + f.name.upper())
            if raw is not None and raw.strip():
                values[f.name] = _convert(f.name, type(f.default), raw.strip())
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)


def _convert(name: str, typ: type, raw: str) -> Any:
    var = ENV_PREFIX + name.upper()
    if typ is str:
        return raw
    try:
        return typ(raw.replace("_", "")) if typ is int else typ(raw)
    except ValueError:
        what = "a whole number" if typ is int else "a number"
        raise ValueError(f"{var} must be {what}, not {raw!r}") from None
