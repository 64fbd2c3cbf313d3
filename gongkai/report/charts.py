"""Inline SVG charts (no script, no fonts to fetch): horizontal bars, stacked bars, heat classes.

Every text that reaches the SVG goes through ``esc``; numbers are formatted here.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass


def esc(text: object) -> str:
    """Text for HTML/SVG content or a quoted attribute."""
    return html.escape("" if text is None else str(text), quote=True)


def count(n: float) -> str:
    return f"{n:,.0f}" if float(n).is_integer() else f"{n:,.2f}"


@dataclass(frozen=True, slots=True)
class Bar:
    label: str
    value: float
    css: str = ""  # an extra class (e.g. "blank" for the bar of blank values)
    note: str = ""  # appended to the tooltip


def bar_chart(
    bars: Sequence[Bar], *, chart_id: str, title: str, label_width: int = 170, width: int = 680, row: int = 22
) -> str:
    """A horizontal bar chart: one ``<g class="bar">`` per bar, value printed after it."""
    top = max((b.value for b in bars), default=0) or 1
    area = width - label_width - 70
    parts = [
        f'<svg class="chart" id="{esc(chart_id)}" data-chart="{esc(chart_id)}" role="img" '
        f'aria-label="{esc(title)}" viewBox="0 0 {width} {row * len(bars) + 8}" '
        f'width="{width}" height="{row * len(bars) + 8}" xmlns="http://www.w3.org/2000/svg">'
    ]
    for i, b in enumerate(bars):
        y = 4 + i * row
        w = 0 if b.value <= 0 else max(1.5, area * b.value / top)
        tip = f"{b.label}: {count(b.value)}" + (f" ({b.note})" if b.note else "")
        parts.append(
            f'<g class="bar {esc(b.css)}" data-label="{esc(b.label)}" data-value="{esc(count(b.value))}">'
            f"<title>{esc(tip)}</title>"
            f'<text class="lbl" x="{label_width - 6}" y="{y + row / 2 + 4:.0f}" text-anchor="end">{esc(b.label)}</text>'
            f'<rect x="{label_width}" y="{y + 3}" width="{w:.1f}" height="{row - 6}" rx="2"/>'
            f'<text class="val" x="{label_width + w + 5:.1f}" y="{y + row / 2 + 4:.0f}">{esc(count(b.value))}</text>'
            f"</g>"
        )
    parts.append("</svg>")
    return "".join(parts)


def stacked_bar(counts: Sequence[int], names: Sequence[str], *, width: int = 220, height: int = 14) -> str:
    """One bar split by category (class ``o-<name>``), each part with its count as tooltip."""
    total = sum(counts) or 1
    parts = [
        f'<svg class="stack" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'xmlns="http://www.w3.org/2000/svg">'
    ]
    x = 0.0
    for n, name in zip(counts, names):
        if n <= 0:
            continue
        w = width * n / total
        parts.append(
            f'<rect class="o-{esc(name)}" data-outcome="{esc(name)}" data-n="{n}" x="{x:.2f}" y="0" '
            f'width="{w:.2f}" height="{height}"><title>{esc(name)}: {n:,}</title></rect>'
        )
        x += w
    parts.append("</svg>")
    return "".join(parts)


def heat_class(n: int, top: int) -> str:
    """``h0`` (none) … ``h5`` (the most) for a heat-table cell."""
    if n <= 0 or top <= 0:
        return "h0"
    return f"h{min(5, 1 + (4 * n) // top)}"
