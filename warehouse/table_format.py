"""Print query results as a plain table whose columns line up with Chinese text (wide characters)."""

from __future__ import annotations

import json
import unicodedata
from datetime import datetime
from typing import Any, Sequence


def width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def cell_text(value: Any, max_width: int = 48) -> str:
    if value is None:
        text = ""
    elif isinstance(value, float):
        text = str(int(value)) if value.is_integer() and abs(value) < 1e15 else f"{value:.6g}"
    elif isinstance(value, datetime):
        text = value.isoformat().replace("+00:00", "Z")
    elif isinstance(value, (list, dict)):
        text = json.dumps(value, ensure_ascii=False)
    else:
        text = str(value)
    text = text.replace("\n", " ")
    if width(text) > max_width:
        out, used = [], 0
        for ch in text:
            w = width(ch)
            if used + w > max_width - 1:
                break
            out.append(ch)
            used += w
        text = "".join(out) + "…"
    return text


def _pad(text: str, size: int, right: bool) -> str:
    gap = " " * (size - width(text))
    return gap + text if right else text + gap


def format_table(columns: Sequence[str], rows: Sequence[Sequence[Any]], *, max_width: int = 48) -> str:
    """A header, a rule and the rows; numbers right-aligned, NULL printed empty."""
    texts = [[cell_text(v, max_width) for v in row] for row in rows]
    numeric = [
        all(isinstance(r[i], (int, float)) and not isinstance(r[i], bool) for r in rows if r[i] is not None)
        and any(r[i] is not None for r in rows)
        for i in range(len(columns))
    ]
    sizes = [max([width(c)] + [width(t[i]) for t in texts]) for i, c in enumerate(columns)]
    lines = [
        " | ".join(_pad(c, sizes[i], numeric[i]) for i, c in enumerate(columns)).rstrip(),
        "-+-".join("-" * s for s in sizes),
    ]
    lines += [" | ".join(_pad(t[i], sizes[i], numeric[i]) for i in range(len(columns))).rstrip() for t in texts]
    return "\n".join(lines)
