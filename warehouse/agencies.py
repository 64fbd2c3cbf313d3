"""Agency identity, stable across years: the division code plus the agency's own name without region.

``宁波市镇海区卫生健康局`` and ``镇海区卫健局`` both become ``330211:卫生健康局``. Without a division the
scope is the source (``src=pingtan:…``); without a name there is no agency.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from pipeline import regions


@dataclass(frozen=True, slots=True)
class Agency:
    agency_id: str
    name: str  # the name as printed in the report that first named it
    base_name: str  # the name without its division names, abbreviations expanded
    adcode: str | None
    resolved_from: str | None
    source_id: str | None


@cache
def _abbreviations() -> tuple[tuple[str, str], ...]:
    text = resources.files("warehouse").joinpath("data", "org_abbreviations.csv").read_text(encoding="utf-8")
    rows = csv.DictReader(line for line in text.splitlines() if not line.startswith("#"))
    pairs = [(r["short"], r["full"]) for r in rows]
    return tuple(sorted(pairs, key=lambda p: -len(p[0])))


def base_name(org_name: str) -> str:
    """The agency name with division names removed and short forms expanded."""
    text = regions.normalise(org_name)
    for start, end, _ in reversed(regions.mentions(text)):
        text = text[:start] + text[end:]
    for short, full in _abbreviations():
        if text.endswith(short) and not text.endswith(full):
            text = text[: -len(short)] + full
            break
    return text or regions.normalise(org_name)


def identify(
    *,
    org_name: str | None,
    title: str | None,
    source_id: str | None,
    source_region: str | None,
    record_region: dict[str, Any] | None,
) -> tuple[Agency | None, regions.Resolution]:
    res = regions.resolve(source_region=source_region, org_name=org_name, title=title, record_region=record_region)
    if not org_name:
        return None, res
    base = base_name(org_name)
    if res.division is not None:
        scope = res.division.adcode
    elif source_id:
        scope = f"src={source_id}"
    else:
        scope = "unknown"
    agency = Agency(
        f"{scope}:{base}",
        regions.normalise(org_name),
        base,
        res.division.adcode if res.division else None,
        res.resolved_from,
        source_id,
    )
    return agency, res
