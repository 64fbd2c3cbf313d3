"""``gongkai discover URL``: look at a portal once, politely, and print the sources entry to paste.

The crawler itself does the looking: the ``portal`` spider in discovery mode (``-a discover=1``)
runs in a ``scrapy crawl`` subprocess (``crawler.collect.crawl_source``) with robots.txt obeyed,
the crawler's user agent, one request at a time and a small page budget; it fetches no article and
yields the pages it read and the report links it saw, which a Scrapy feed export writes out."""

from __future__ import annotations

import json
import sys
import tempfile
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

from crawler.collect import crawl_source
from crawler.records import read_jsonl

from .discover_report import Findings, entry_yaml, render

PAGE_KINDS = ("home", "column", "list", "other")
ITEM_CLASSES = ["crawler.items.PageSeen", "crawler.items.ReportLink"]


class DiscoverError(RuntimeError):
    """A URL that cannot be looked at, or a portal where nothing was found; one line."""


def _check_url(url: str) -> str:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise DiscoverError(f"{url!r} is not an http(s) URL")
    return parts.netloc.lower()


def _settings(pages: int, delay: float, feed: Path) -> dict:
    feeds = {str(feed): {"format": "jsonlines", "item_classes": ITEM_CLASSES, "overwrite": True}}
    return {
        "CONCURRENT_REQUESTS": 1,
        "CONCURRENT_REQUESTS_PER_DOMAIN": 1,
        "CLOSESPIDER_PAGECOUNT": pages,
        "GONGKAI_DISCOVERY_PAGES": pages,
        "GONGKAI_MAX_LIST_PAGES": 4,
        "DOWNLOAD_DELAY": delay,
        "AUTOTHROTTLE_START_DELAY": delay,
        "LOG_LEVEL": "INFO",
        "FEEDS": json.dumps(feeds),
    }


def look(
    url: str, *, pages: int = 20, delay: float = 1.0, timeout_s: float = 300.0, allow_private: bool = False
) -> Findings:
    """Crawl ``url`` in discovery mode; raise DiscoverError when it cannot be reached."""
    host = _check_url(url)
    with tempfile.TemporaryDirectory(prefix="gongkai-discover-") as tmp:
        sources = Path(tmp) / "sources.yaml"
        doc = {
            "allow_private_addresses": allow_private,
            "sources": [
                {"id": "discover", "name": "discover", "start_urls": [url], "allowed_domains": [host], "cms": "auto"}
            ],
        }
        sources.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
        feed = Path(tmp) / "items.jsonl"
        result = crawl_source(
            sources,
            "discover",
            "discover",
            Path(tmp) / "data",
            timeout_s=timeout_s,
            jobdir=False,
            extra_settings=_settings(pages, delay, feed),
            spider_args={"discover": "1"},
        )
        items = read_jsonl(feed)
        fetches = read_jsonl(result.fetches_path)
    answered = [f for f in fetches if f.get("kind") in PAGE_KINDS and f.get("outcome") in ("ok", "not_modified")]
    if not answered:
        first = next((f for f in fetches if f.get("kind") in PAGE_KINDS), None)
        why = f"{first['outcome']}: {first.get('reason') or 'no reason given'}" if first else "no request answered"
        if result.timed_out:
            why = f"no page within {timeout_s:g} s"
        state = "blocked, a person must look" if first and first["outcome"] == "blocked" else "unreachable"
        raise DiscoverError(f"{url}: {state} ({why})")
    return Findings.collect(url, items, fetches, result.stats)


def main(args) -> int:
    try:
        found = look(
            args.url, pages=args.pages, delay=args.delay, timeout_s=args.timeout, allow_private=args.allow_private
        )
    except DiscoverError as err:
        print(f"gongkai discover: {err}", file=sys.stderr)
        return 1 if "not an http" not in str(err) else 2
    if not found.reports:
        where = f"column {found.column.url} lists" if found.column else f"{found.n_pages} pages hold"
        print(
            f"gongkai discover: {args.url}: nothing found ({where} no annual-report link; family {found.family})",
            file=sys.stderr,
        )
        return 1
    print(render(found, args.reports))
    print()
    print(f"# paste into a sources file (check name and region; discovered {date.today().isoformat()}):")
    print(entry_yaml(found, date.today()))
    return 0
