"""CMS families: pick one by name or detect it from page markers."""

from __future__ import annotations

from .base import CmsFamily, ListFetch, ListResult, Page
from .fjdzapp import Fjdzapp
from .generic import Generic
from .gkmlpt import Gkmlpt
from .hanweb import Hanweb
from .trs import Trs

FAMILIES: dict[str, CmsFamily] = {f.name: f for f in (Trs(), Hanweb(), Gkmlpt(), Fjdzapp(), Generic())}
_DETECT_ORDER = ("gkmlpt", "hanweb", "fjdzapp", "trs")


def family(name: str) -> CmsFamily:
    return FAMILIES[name]


def detect(page: Page) -> CmsFamily:
    """The family whose markers the page shows most (gkmlpt/hanweb/fjdzapp win ties over TRS,
    whose templates they often embed); generic when none."""
    best, best_score = FAMILIES["generic"], 0
    for name in _DETECT_ORDER:
        s = FAMILIES[name].score(page)
        if s > best_score:
            best, best_score = FAMILIES[name], s
    return best


__all__ = ["CmsFamily", "ListFetch", "ListResult", "Page", "FAMILIES", "family", "detect"]
