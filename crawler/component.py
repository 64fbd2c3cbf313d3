"""The shape Scrapy builds a component from: ``from_crawler(crawler)``, keeping the crawler."""

from __future__ import annotations


class CrawlerComponent:
    """Base of the crawler's middlewares and item pipelines (settings, stats, spider and engine
    are all reached through ``self.crawler``)."""

    def __init__(self, crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)
