"""Items the ``portal`` spider yields (Scrapy takes dataclass instances as items).

In discovery mode (``-a discover=1``, used by ``gongkai discover``) the spider does not fetch
articles: it yields what it saw on the way to, and in, the annual-report column."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PageSeen:
    """A page discovery parsed: its kind, the family detected, its title, and whether it was read
    as a list page of the column (``listing``)."""
    url: str
    kind: str
    family: str
    title: str
    site_name: str
    listing: bool
    n_reports: int


@dataclass(frozen=True)
class ReportLink:
    """A link titled like an annual report, on a column or list page (not fetched in discovery)."""
    url: str
    title: str
    year: int | None
    found_on: str
