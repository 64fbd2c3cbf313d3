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

import logging
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
        parser.add_argument(
            "--source",
            dest="source_ids",
            action="append",
            default=[],
            metavar="ID",
            help="a source to crawl (repeat for each)",
        )
        parser.add_argument(
            "--jobdirs", action="store_true", help="JOBDIR of each source under DATA/runs/<run>/<source>/jobdir"
        )

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
            run_dir = Path(spargs.get("data_dir", "data")) / "runs" / spargs["run_id"] / source_id
            run_dir.mkdir(parents=True, exist_ok=True)
            if opts.jobdirs:
                crawler.settings.set("JOBDIR", str(run_dir / "jobdir"), priority="cmdline")
            _source_log(run_dir / "crawl.log", source_id, self.settings)
            self.crawler_process.crawl(crawler, **spargs)
            started += 1
        if not started:
            return
        self.crawler_process.start()
        if self.crawler_process.bootstrap_failed:
            self.exitcode = 1


def _source_log(path: Path, source_id: str, settings) -> None:
    """The source's own ``crawl.log``: the log records Scrapy and the spider attribute to its spider
    (``extra={"spider": …}``), as a single-source crawl would log them; the process's whole log is
    its stdout."""
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setFormatter(logging.Formatter(settings.get("LOG_FORMAT"), settings.get("LOG_DATEFORMAT")))
    handler.setLevel(settings.get("LOG_LEVEL"))
    handler.addFilter(lambda rec: getattr(getattr(rec, "spider", None), "source_id", None) == source_id)
    logging.getLogger().addHandler(handler)
