"""Items of the crawler (Scrapy takes dataclass instances as items), and their schemas.

``FetchRecord`` (one per response or failure, made on the download side by ``crawler.fetchlog``),
``DocumentRecord`` and ``LandingRecord`` (yielded by the spider) are the lines of fetches.jsonl,
documents.jsonl and landings.jsonl; the item pipelines (``crawler.pipelines``) check, count and
write them. In discovery mode (``-a discover=1``, used by ``gongkai discover``) the spider fetches
no article: it yields ``PageSeen`` and ``ReportLink``, which a feed export writes."""

from __future__ import annotations

import dataclasses
import re
import types
import typing
from dataclasses import dataclass, field
from datetime import datetime, timezone

from .outcomes import OUTCOMES

KINDS = ("home", "column", "list", "article", "attachment", "robots", "other")
_SHA256 = re.compile(r"^[0-9a-f]{64}$")


def utc_now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True)
class FetchRecord:
    run_id: str
    source_id: str
    url: str
    final_url: str | None
    redirect_chain: tuple[str, ...]
    method: str
    http_status: int | None
    fetched_at: str
    sha256: str | None
    size: int | None
    content_type: str | None
    etag: str | None
    last_modified: str | None
    content_disposition: str | None
    encoding: str | None
    meta: dict = field(default_factory=dict)
    outcome: str = "ok"
    reason: str | None = None
    kind: str = "other"
    referer: str | None = None


@dataclass(frozen=True)
class DocumentRecord:
    run_id: str
    source_id: str
    sha256: str
    format: str
    document_url: str
    page_url: str
    title: str
    year_hint: int | None
    fetched_at: str
    store_path: str
    role: str  # page | attachment | page_image (an image of a page whose report is images; filename = its src)
    filename: str | None
    new: bool = True  # False when these bytes were already in the store before this fetch
    not_modified: bool = False  # the server answered 304; the bytes are the stored ones
    has_table: bool | None = None  # role=page: the page body holds a <table>
    pub_date: str | None = None


@dataclass(frozen=True)
class LandingRecord:
    """An article page that is not itself a report: provenance of the files it links
    (``links_report``), or a page titled like a report that neither holds nor links one (``no_report``).
    Written to ``landings.jsonl``, never handed to the parser."""

    run_id: str
    source_id: str
    page_url: str
    title: str
    year_hint: int | None
    fetched_at: str
    sha256: str | None
    kind: str  # links_report | no_report
    n_attachments: int = 0


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


# values a field may take beyond its type
CHOICES = {
    (FetchRecord, "outcome"): OUTCOMES,
    (FetchRecord, "kind"): KINDS,
    (DocumentRecord, "role"): ("page", "attachment", "page_image"),
    (LandingRecord, "kind"): ("links_report", "no_report"),
}


def _fits(value, hint) -> bool:
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if hint is type(None):
        return value is None
    if origin in (typing.Union, types.UnionType):
        return any(_fits(value, a) for a in args)
    if origin is tuple:
        return isinstance(value, tuple) and all(_fits(v, args[0]) for v in value)
    if hint is int:
        return isinstance(value, int) and not isinstance(value, bool)
    return isinstance(value, origin or hint)


def problems(item) -> list[str]:
    """What is wrong with an item against its dataclass schema: field types, choices, sha256 digests."""
    if not dataclasses.is_dataclass(item):
        return [f"{type(item).__name__} is not a crawler item"]
    hints = typing.get_type_hints(type(item))
    out = []
    for f in dataclasses.fields(item):
        value = getattr(item, f.name)
        if not _fits(value, hints[f.name]):
            out.append(f"{f.name}={value!r} is not {hints[f.name]}")
        choices = CHOICES.get((type(item), f.name))
        if choices and value not in choices:
            out.append(f"{f.name}={value!r} is not one of {', '.join(choices)}")
        if f.name == "sha256" and value is not None and not _SHA256.match(str(value)):
            out.append(f"sha256={value!r} is not a hex digest")
    return out
