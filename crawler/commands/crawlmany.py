"""``scrapy crawlmany portal --source A --source B …``: several sources crawled at once by one process.

Real portals are slow (seconds per answer) and the politeness settings allow about one request per
second per host, so one Scrapy process per source spends its life waiting while costing a Python
interpreter each; one process can keep many hosts in flight instead. Scrapy runs several crawlers
in one reactor (``CrawlerProcess.crawl`` once per crawler, then ``start``): each source gets its own
``Crawler`` — its own settings (its JOBDIR), stats (its ``stats.json``), scheduler and downloader
slots — so per-host politeness (CONCURRENT_REQUESTS_PER_DOMAIN, DOWNLOAD_DELAY, robots.txt) and
every run file are exactly those of ``scrapy crawl portal -a source=…``. The ``-a`` arguments are
common to every source; ``--jobdirs`` gives each source the JOBDIR ``DATA/runs/<run>/<source>/jobdir``.
A source whose arguments cannot work is reported on stderr and skipped (the others still run); the
exit status is then 2."""
from __future__ import annotations

import sys
from pathlib import Path

from scrapy.commands import BaseRunSpiderCommand
from scrapy.exceptions import UsageError

from ..spiders.portal import PortalSpider


class Command(BaseRunSpiderCommand):
    requires_project = True

    def syntax(self) -> str:
        return "[options] portal --source ID [--source ID …]"

    def short_desc(self) -> str:
        return "Crawl several sources at once in one process (one crawler per source)"

    def add_options(self, parser) -> None:
        super().add_options(parser)
        parser.add_argument("--source", dest="source_ids", action="append", default=[], metavar="ID",
                            help="a source to crawl (repeat for each)")
        parser.add_argument("--jobdirs", action="store_true",
                            help="JOBDIR of each source under DATA/runs/<run>/<source>/jobdir")

    def run(self, args, opts) -> None:
        if args != [PortalSpider.name] or not opts.source_ids:
            raise UsageError("usage: scrapy crawlmany portal --source ID [--source ID …]")
        assert self.crawler_process
        started = 0
        for source_id in dict.fromkeys(opts.source_ids):
            spargs = {**opts.spargs, "source": source_id}
            try:
                PortalSpider.check_args(**spargs)
            except UsageError as exc:
                sys.stderr.write(f"gongkai crawlmany: {source_id}: {exc}\n")
                self.exitcode = 2
                continue
            crawler = self.crawler_process.create_crawler(PortalSpider.name)
            if opts.jobdirs:
                data, run_id = Path(spargs["data_dir"]), spargs["run_id"]
                crawler.settings.set("JOBDIR", str(data / "runs" / run_id / source_id / "jobdir"),
                                     priority="cmdline")
            self.crawler_process.crawl(crawler, **spargs)
            started += 1
        if not started:
            return
        self.crawler_process.start()
        if self.crawler_process.bootstrap_failed:
            self.exitcode = 1
