"""``scrapy crawl``, with the portal spider's arguments checked before the crawler starts.

An argument or sources file that cannot work is a ``UsageError`` from the spider
(``PortalSpider.check_args``); raised while Scrapy builds the spider it would only end the crawl
with a traceback and status 1. Checked here first, it is one line ``gongkai crawl: …`` on stderr
and the command's exit status 2 (``exitcode``, which Scrapy's ``execute`` exits with)."""

from __future__ import annotations

import sys

from scrapy.commands.crawl import Command as ScrapyCrawl
from scrapy.exceptions import UsageError

from ..spiders.portal import PortalSpider


class Command(ScrapyCrawl):
    def run(self, args, opts) -> None:
        if args and args[0] == PortalSpider.name:
            try:
                PortalSpider.check_args(**opts.spargs)
            except UsageError as exc:
                sys.stderr.write(f"gongkai crawl: {exc}\n")
                self.exitcode = 2
                return
        super().run(args, opts)
