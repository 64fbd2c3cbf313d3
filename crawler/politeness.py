"""robots.txt ``Crawl-delay`` honoured through per-host download slots, also under AutoThrottle."""

from __future__ import annotations

from scrapy import signals
from scrapy.extensions.throttle import AutoThrottle


class CrawlDelay:
    """On every parsed robots.txt, raise that host's download-slot delay to its Crawl-delay."""

    def __init__(self, crawler):
        self.crawler = crawler
        self.delays: dict[str, float] = {}
        self.cap = crawler.settings.getfloat("GONGKAI_MAX_CRAWL_DELAY", 30.0)
        crawler.signals.connect(self._robots_parsed, signal=signals.robots_parsed)
        crawler.signals.connect(self._spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler):
        ext = cls(crawler)
        crawler.gk_crawl_delay = ext
        return ext

    def _robots_parsed(self, robotparser, request):
        ua = self.crawler.settings.get("ROBOTSTXT_USER_AGENT") or self.crawler.settings.get("USER_AGENT")
        try:
            delay = robotparser.crawl_delay(ua)
        except AttributeError:  # a robots.txt parser without crawl_delay support
            delay = None
        if not delay:
            return
        delay = min(float(delay), self.cap)
        downloader = self.crawler.engine.downloader
        key = downloader.get_slot_key(request)
        self.delays[key] = delay
        downloader.per_slot_settings.setdefault(key, {})["delay"] = max(
            delay, downloader.per_slot_settings.get(key, {}).get("delay", 0)
        )
        slot = downloader.slots.get(key)
        if slot is not None and slot.delay < delay:
            slot.delay = delay
        self.crawler.stats.set_value(f"gongkai/crawl_delay/{key}", delay)

    def _spider_closed(self, spider, reason):
        """Record the delay each Crawl-delay host's slot ended with (it must not be below the floor)."""
        slots = self.crawler.engine.downloader.slots
        for key in self.delays:
            if key in slots:
                self.crawler.stats.set_value(f"gongkai/slot_delay/{key}", slots[key].delay)

    def floor(self, key: str) -> float:
        return self.delays.get(key, 0.0)


class CrawlDelayAutoThrottle(AutoThrottle):
    """AutoThrottle that never lowers a slot's delay below the host's Crawl-delay."""

    def _response_downloaded(self, response, request, spider):
        super()._response_downloaded(response, request, spider)
        ext = getattr(self.crawler, "gk_crawl_delay", None)
        key, slot = self._get_slot(request, spider)
        if ext is not None and slot is not None and slot.delay < ext.floor(key):
            slot.delay = ext.floor(key)
