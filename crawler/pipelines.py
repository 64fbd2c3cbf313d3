"""Item pipelines of the crawler (``ITEM_PIPELINES``), one concern each:

- ``ValidateItemPipeline``: an item that does not fit its schema (``crawler.items``) is dropped and
  logged, never written half-right;
- ``DuplicateDocumentsPipeline``: a (page, sha256) pair is listed once per crawl;
- ``CrawlStatsPipeline``: the ``gongkai/…`` counters of what was written;
- ``RunFilesPipeline``: appends each record to its file, ``fetches.jsonl``, ``documents.jsonl`` or
  ``landings.jsonl`` of ``DATA/runs/RUN/SOURCE/``.

Fetch records come from the downloader side (``crawler.fetchlog``), documents and landing pages
from the spider's callbacks; discovery items (``PageSeen``, ``ReportLink``) pass through untouched
to a feed export. A new item kind is one dataclass in ``crawler.items``, its schema in ``SCHEMAS``
and, when it has a file, one line in ``RunFiles``."""

from __future__ import annotations

from scrapy.exceptions import DropItem

from .component import CrawlerComponent
from .items import DocumentRecord, FetchRecord, LandingRecord, problems
from .records import RunFiles


class ValidateItemPipeline(CrawlerComponent):
    def process_item(self, item):
        found = problems(item)
        if found:
            self.crawler.stats.inc_value(f"gongkai/invalid_items/{type(item).__name__}")
            raise DropItem(f"{type(item).__name__} does not fit its schema: {'; '.join(found)}", log_level="ERROR")
        return item


class DuplicateDocumentsPipeline(CrawlerComponent):
    """The same bytes linked twice from one page (two links, a 304 and a 200) are one document."""

    def __init__(self, crawler):
        super().__init__(crawler)
        self.seen: set[tuple[str, str]] = set()

    def process_item(self, item):
        if isinstance(item, DocumentRecord):
            key = (item.page_url, item.sha256)
            if key in self.seen:
                self.crawler.stats.inc_value("gongkai/documents_duplicate_bytes")
                raise DropItem(f"already listed: {item.sha256[:12]} on {item.page_url}", log_level="DEBUG")
            self.seen.add(key)
        return item


class CrawlStatsPipeline(CrawlerComponent):
    def process_item(self, item):
        stats = self.crawler.stats
        if isinstance(item, FetchRecord):
            stats.inc_value(f"gongkai/outcome/{item.outcome}")
            stats.inc_value(f"gongkai/kind/{item.kind}")
        elif isinstance(item, DocumentRecord):
            stats.inc_value("gongkai/documents")
            stats.inc_value(f"gongkai/documents/{item.role}")
        elif isinstance(item, LandingRecord):
            stats.inc_value(f"gongkai/landing_pages/{item.kind}")
        return item


class RunFilesPipeline(CrawlerComponent):
    """Owns the run's JSONL files: opened with the spider, closed with it."""

    def __init__(self, crawler):
        super().__init__(crawler)
        self.files: RunFiles | None = None

    def open_spider(self):
        spider = self.crawler.spider
        self.files = RunFiles(spider.data_dir, spider.run_id, spider.source_id)

    def close_spider(self):
        if self.files is not None:
            self.files.close()

    def process_item(self, item):
        assert self.files is not None  # open_spider ran
        if isinstance(item, FetchRecord):
            self.files.fetch(item)
        elif isinstance(item, DocumentRecord):
            self.files.document(item)
        elif isinstance(item, LandingRecord):
            self.files.landing(item)
        return item
