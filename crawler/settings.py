"""Scrapy settings of the gongkai crawler (override per run with ``-s NAME=VALUE``)."""

import os

BOT_NAME = "gongkai"
SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"
COMMANDS_MODULE = "crawler.commands"  # crawl: bad spider arguments are one line and exit status 2

# an honest user agent with the project's public page: a deployment sets the environment variable
# GONGKAI_PROJECT_URL to its own (read here, because USER_AGENT is built from it at import)
PROJECT_URL = os.environ.get("GONGKAI_PROJECT_URL") or "https://github.com/gongkai-project/gongkai"
USER_AGENT = (
    "gongkai-research-crawler/0.1 (+"
    + PROJECT_URL
    + "; research crawler for government information disclosure annual reports; obeys robots.txt)"
)
ROBOTSTXT_OBEY = True

# politeness: 1-2 requests per host at a time, AutoThrottle, Crawl-delay via per-host slots
CONCURRENT_REQUESTS = 8
CONCURRENT_REQUESTS_PER_DOMAIN = 2
DOWNLOAD_DELAY = 1.0
DOWNLOAD_DELAY_JITTER = 0.5  # ±50 %
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 2.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
GONGKAI_MAX_CRAWL_DELAY = 30.0

# bounds
DOWNLOAD_TIMEOUT = 60
DOWNLOAD_MAXSIZE = 200 * 1024 * 1024
DOWNLOAD_WARNSIZE = 50 * 1024 * 1024
REDIRECT_MAX_TIMES = 5
RETRY_TIMES = 1
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]
GONGKAI_MAX_RETRY_AFTER = 30.0  # longest Retry-After (s) waited for; longer ones are not retried in the crawl
GONGKAI_DISCOVERY_DEPTH = 3  # link hops from a start URL while looking for the column
GONGKAI_DISCOVERY_PAGES = 40  # pages fetched while looking for the column
GONGKAI_MAX_LIST_PAGES = 200  # list pages (static, POST or API) per source
GONGKAI_MAX_ATTACHMENTS_PER_ARTICLE = 20

# meta refreshes are handled by the spider (a refresh to the parent means "gone")
METAREFRESH_ENABLED = False
COOKIES_ENABLED = True
HTTPCACHE_ENABLED = False
TELNETCONSOLE_ENABLED = False
LOG_LEVEL = "INFO"

DOWNLOADER_MIDDLEWARES = {
    "scrapy.downloadermiddlewares.offsite.OffsiteMiddleware": None,
    "crawler.fetchlog.FetchLogMiddleware": 10,  # nearest the engine: sees every response and failure last
    "crawler.conditional.ConditionalGetMiddleware": 15,  # a 304 becomes the stored body before the fetch log
    "crawler.netguard.NetGuardMiddleware": 50,
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "crawler.retry.RetryAfterMiddleware": 550,  # Scrapy's retries, honouring Retry-After
}
EXTENSIONS = {
    "scrapy.extensions.throttle.AutoThrottle": None,
    "crawler.politeness.CrawlDelayAutoThrottle": 0,
    "crawler.politeness.CrawlDelay": 0,
}
# records are items: checked, deduplicated, counted, then written (crawler/pipelines.py)
ITEM_PIPELINES = {
    "crawler.pipelines.ValidateItemPipeline": 100,
    "crawler.pipelines.DuplicateDocumentsPipeline": 200,
    "crawler.pipelines.CrawlStatsPipeline": 300,
    "crawler.pipelines.RunFilesPipeline": 900,
}
STATS_CLASS = "crawler.statsfile.JsonFileStatsCollector"
FEED_EXPORT_ENCODING = "utf-8"
DUPEFILTER_CLASS = "crawler.dupefilter.RecordingDupeFilter"
