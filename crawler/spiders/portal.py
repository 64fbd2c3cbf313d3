"""The one spider: ``scrapy crawl portal -a sources=FILE -a source=ID -a run_id=RUN -a data_dir=DATA``."""
from __future__ import annotations

import os
import re
import sys

import scrapy
from scrapy.http import TextResponse

from pipeline.sniff import sniff

from .. import discovery
from ..attachments import filename_for, is_attachment
from ..families import ListFetch, Page, detect, family
from ..fetchlog import record_failure
from ..htmlmeta import Link, links, page_title
from ..records import DocumentRecord, RunFiles
from ..sources import SourcesError, load_sources
from ..store import ContentStore, store_relpath
from ..titles import looks_truncated, report_year
from ..validators import load_validators

_RUN_ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:+-]{0,99}$")
_INDEX_RE = re.compile(r"/(index|default)\.(s?html?|jsp|php|aspx?)$", re.I)
PRIORITY = {"attachment": 40, "article": 30, "list": 20, "column": 20, "home": 10, "other": 0}


def canonical_list_url(url: str) -> str:
    """``…/col/index.html`` and ``…/col/`` are one list page."""
    return _INDEX_RE.sub("/", url.split("#", 1)[0])


class PortalSpider(scrapy.Spider):
    name = "portal"

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        try:
            return super().from_crawler(crawler, *args, **kwargs)
        except (SourcesError, ValueError) as exc:
            # bad arguments or a bad sources file: one line, no traceback, exit status 2
            sys.stderr.write(f"gongkai crawl: {exc}\n")
            sys.stderr.flush()
            os._exit(2)

    def __init__(self, sources: str | None = None, source: str | None = None, run_id: str | None = None,
                 data_dir: str = "data", **kwargs):
        super().__init__(**kwargs)
        missing = [n for n, v in (("sources", sources), ("source", source), ("run_id", run_id)) if not v]
        if missing:
            raise ValueError(f"portal spider needs -a {' -a '.join(m + '=…' for m in missing)}")
        if not _RUN_ID_RE.match(run_id) or ".." in run_id:
            raise ValueError(f"run_id {run_id!r} must be letters, digits and _.:+-")
        sf = load_sources(sources)
        self.source = sf.get(source)
        self.source_id = self.source.id
        self.run_id = run_id
        self.allowed_domains = list(self.source.allowed_domains)
        self.allow_private_addresses = sf.allow_private_addresses
        self.store = ContentStore(data_dir)
        self.run_files = RunFiles(data_dir, run_id, self.source_id)
        self.validators = load_validators(data_dir, self.source_id, exclude_run=run_id)
        self.years = set(self.source.years) if self.source.years else None
        self.forced = None if self.source.cms == "auto" else family(self.source.cms)
        self._discovery_pages = 0
        self._list_pages = 0
        self._documents: set[tuple[str, str]] = set()
        self._lists_seen: set[str] = set()

    # ---- settings read lazily (the crawler is attached after __init__)
    def _setting(self, name: str, default: int) -> int:
        return self.crawler.settings.getint(name, default)

    def _stat(self, key: str, n: int = 1) -> None:
        self.crawler.stats.inc_value(f"gongkai/{key}", n)

    async def start(self):
        self.crawler.stats.set_value("gongkai/source_id", self.source_id)
        self.crawler.stats.set_value("gongkai/run_id", self.run_id)
        for url in self.source.start_urls:
            kind = "column" if discovery.is_column_url(url) else "home"
            self._discovery_pages += 1
            yield self._request(url, self.parse_page, kind, referer=None, hops=0)

    def _request(self, url: str, callback, kind: str, referer: str | None, **meta) -> scrapy.Request:
        return scrapy.Request(url, callback=callback, errback=self.on_error, priority=PRIORITY.get(kind, 0),
                              meta={"kind": kind, "gk_referer": referer, **meta})

    # ---- pages on the way to, and of, the annual-report column
    def parse_page(self, response):
        if not self._usable(response, self.parse_page):
            return
        kind = response.meta["kind"]
        hops = response.meta.get("hops", 0)
        page = Page(response.url, response.text, response.selector)
        fam = self.forced or detect(page)
        self.crawler.stats.set_value(f"gongkai/family/{kind}", fam.name)
        found = links(page.sel, page.url)
        max_hops = self._setting("GONGKAI_DISCOVERY_DEPTH", 3)
        for link in found:
            what = discovery.classify(link)
            if what == "report":
                yield from self._article(link, response)
            elif what == "column" and kind in ("home", "other", "column"):
                req = self._discovery(link.url, "column", response, hops + 1)
                if req is not None:
                    yield req
            elif what == "hub" and kind in ("home", "other") and hops < max_hops:
                req = self._discovery(link.url, "other", response, hops + 1)
                if req is not None:
                    yield req
        column_meta = response.meta.get("gk_meta", {}).get("ColumnName", "")
        if kind in ("column", "list") or discovery.is_column_text(column_meta) or fam.name == "gkmlpt":
            self._lists_seen.update({canonical_list_url(response.url), canonical_list_url(response.request.url)})
            yield from self._list_result(fam.list_page(page), response, fam.name)

    def parse_payload(self, response):
        """A data-proxy XML or JSON API page of a column."""
        if not self._usable(response, None):
            return
        fam = family(response.meta["gk_family"])
        text = response.text if isinstance(response, TextResponse) else response.body.decode("utf-8", "replace")
        try:
            result = fam.payload(response.meta["gk_payload"], response.url, text,
                                 tuple(response.meta.get("gk_formdata", ())))
        except ValueError as exc:
            self.logger.warning("unreadable list payload %s: %s", response.url, exc)
            self._stat("list_payload_unreadable")
            return
        yield from self._list_result(result, response, fam.name)

    def _list_result(self, result, response, fam_name: str):
        if result.unreachable_pages:
            self._stat("list_pages_unreachable", result.unreachable_pages)
        for link in result.articles:
            if discovery.classify(link) == "report":
                yield from self._article(link, response)
            elif looks_truncated(link.label) and re.search(r"报告|年报|公开", link.label):
                yield from self._article(link, response, unsure=True)
        for lf in result.more:
            req = self._list_request(lf, response, fam_name)
            if req is not None:
                yield req

    def _discovery(self, url: str, kind: str, response, hops: int):
        limit = self._setting("GONGKAI_DISCOVERY_PAGES", 40)
        if self._discovery_pages >= limit:
            self._stat("discovery_capped")
            return None
        self._discovery_pages += 1
        return self._request(url, self.parse_page, kind, response.url, hops=hops)

    def _list_request(self, lf: ListFetch, response, fam_name: str):
        key = canonical_list_url(lf.url) if lf.method == "GET" else f"{lf.method} {lf.url}"
        if key in self._lists_seen:
            return None
        self._lists_seen.add(key)
        if self._list_pages >= self._setting("GONGKAI_MAX_LIST_PAGES", 200):
            self._stat("list_pages_capped")
            return None
        self._list_pages += 1
        if lf.payload == "html":
            return self._request(lf.url, self.parse_page, "list", response.url, hops=response.meta.get("hops", 0))
        meta = {"kind": "list", "gk_referer": response.url, "gk_family": fam_name, "gk_payload": lf.payload,
                "gk_formdata": list(lf.formdata)}
        if lf.method == "POST":
            return scrapy.FormRequest(lf.url, formdata=dict(lf.formdata), callback=self.parse_payload,
                                      errback=self.on_error, priority=PRIORITY["list"], meta=meta)
        return scrapy.Request(lf.url, callback=self.parse_payload, errback=self.on_error,
                              priority=PRIORITY["list"], meta=meta)

    # ---- articles and their attachments
    def _article(self, link: Link, response, unsure: bool = False):
        title = link.label
        year = report_year(title) or report_year(link.text)
        if not unsure and self.years and year not in self.years:
            self._stat("articles_outside_years")
            return
        self._stat("article_links")
        if is_attachment(link) and not unsure:
            # a list that links the report file itself: the list page is the page that linked it
            yield self._request(link.url, self.parse_attachment, "attachment", response.url,
                                gk_page_url=response.url, gk_title=title, gk_year=year,
                                gk_link_text=link.label, gk_pub_date=None)
            return
        yield self._request(link.url, self.parse_article, "article", response.url,
                            gk_list_title=title, gk_year=year, gk_unsure=unsure)

    def parse_article(self, response):
        if not isinstance(response, TextResponse) and response.meta.get("gk_outcome") in ("ok", "not_modified") \
                and not response.meta.get("gk_unsure"):
            # the article link served a file (download.jsp?id=…): it is the report itself
            response.meta.update(gk_page_url=response.meta.get("gk_referer") or response.url,
                                 gk_title=response.meta.get("gk_list_title"), gk_link_text="")
            yield from self.parse_attachment(response) or ()
            return
        if not self._usable(response, self.parse_article):
            return
        meta = response.meta.get("gk_meta", {})
        sel = response.selector
        on_page = page_title(sel, meta)
        list_title = response.meta.get("gk_list_title") or ""
        year = report_year(on_page)
        title = on_page if year else list_title
        if year is None and not response.meta.get("gk_unsure"):
            year = report_year(list_title)
        if year is None:
            self._stat("articles_not_reports")
            return
        if self.years and year not in self.years:
            self._stat("articles_outside_years")
            return
        sha = response.meta.get("gk_sha256")
        fetched_at = response.meta.get("gk_fetched_at")
        pub_date = meta.get("PubDate") or meta.get("pubdate")
        if sha:
            cells = len(sel.xpath("//table//td"))
            self._document(DocumentRecord(
                run_id=self.run_id, source_id=self.source_id, sha256=sha, format=response.meta.get("gk_format", "html"),
                document_url=response.url, page_url=response.url, title=title, year_hint=year,
                fetched_at=fetched_at, store_path=store_relpath(sha), role="page", filename=None,
                new=bool(response.meta.get("gk_stored_new")), not_modified="not_modified" in response.flags,
                has_table=cells >= 6, pub_date=pub_date))
        limit = self._setting("GONGKAI_MAX_ATTACHMENTS_PER_ARTICLE", 20)
        n = 0
        for link in links(sel, response.url):
            if not is_attachment(link) or link.url == response.url:
                continue
            n += 1
            if n > limit:
                self._stat("attachments_capped")
                break
            yield self._request(link.url, self.parse_attachment, "attachment", response.url,
                                gk_page_url=response.url, gk_title=title, gk_year=year,
                                gk_link_text=link.label, gk_pub_date=pub_date)
        if n == 0:  # with attachments, the report is in them, not in the page's pictures
            yield from self._page_images(response, title, year, pub_date)

    def _page_images(self, response, title, year, pub_date):
        """An article whose report is printed as images (``pipeline.html_images`` decides, as the
        parser will): its images are fetched and stored like attachments and recorded with the page."""
        from pipeline.html_layout import image_srcs

        for src in image_srcs(response.body)[:self._setting("GONGKAI_MAX_PAGE_IMAGES", 60)]:
            if not src.startswith("data:"):  # a data: URI is read from the page itself
                yield self._request(response.urljoin(src), self.parse_page_image, "attachment", response.url,
                                    gk_page_url=response.url, gk_src=src, gk_title=title, gk_year=year,
                                    gk_pub_date=pub_date)

    def parse_page_image(self, response):
        """One image of a page's report: role ``page_image``, ``filename`` = its ``src`` as written."""
        sha = response.meta.get("gk_sha256")
        if not self._usable(response, None) or not sha:
            return
        self._document(DocumentRecord(
            run_id=self.run_id, source_id=self.source_id, sha256=sha, format=sniff(response.body, response.url),
            document_url=response.url, page_url=response.meta["gk_page_url"], title=response.meta.get("gk_title") or "",
            year_hint=response.meta.get("gk_year"), fetched_at=response.meta.get("gk_fetched_at"),
            store_path=store_relpath(sha), role="page_image", filename=response.meta["gk_src"],
            new=bool(response.meta.get("gk_stored_new")), not_modified="not_modified" in response.flags,
            pub_date=response.meta.get("gk_pub_date")))

    def parse_attachment(self, response):
        if not self._usable(response, None):
            return
        sha = response.meta.get("gk_sha256")
        if not sha:
            return
        cd = response.headers.get("Content-Disposition")
        cd = cd.decode("latin-1") if cd else None
        name = filename_for(response.url, cd, response.meta.get("gk_link_text", ""))
        fmt = sniff(response.body, name, cd or "")
        self._document(DocumentRecord(
            run_id=self.run_id, source_id=self.source_id, sha256=sha, format=fmt, document_url=response.url,
            page_url=response.meta["gk_page_url"], title=response.meta.get("gk_title") or "",
            year_hint=response.meta.get("gk_year"), fetched_at=response.meta.get("gk_fetched_at"),
            store_path=store_relpath(sha), role="attachment", filename=name,
            new=bool(response.meta.get("gk_stored_new")), not_modified="not_modified" in response.flags,
            pub_date=response.meta.get("gk_pub_date")))

    def _document(self, rec: DocumentRecord) -> None:
        key = (rec.page_url, rec.sha256)
        if key in self._documents:
            self._stat("documents_duplicate_bytes")
            return
        self._documents.add(key)
        self.run_files.document(rec)
        self._stat("documents")
        self._stat(f"documents/{rec.role}")

    # ---- shared
    def is_known_list(self, url: str) -> bool:
        """A column or list page of this crawl (a page refreshing there has been withdrawn)."""
        return canonical_list_url(url) in self._lists_seen

    def _usable(self, response, refresh_callback) -> bool:
        """Only ok / not_modified responses are parsed; a meta refresh elsewhere is followed."""
        if response.meta.get("gk_outcome") not in ("ok", "not_modified"):
            return False
        target = response.meta.get("gk_refresh_to")
        if target:
            if refresh_callback is not None:
                meta = {k: v for k, v in response.meta.items() if not k.startswith(("gk_", "redirect_", "download_", "depth"))}
                meta.update({k: v for k, v in response.meta.items() if k in ("gk_list_title", "gk_year", "gk_unsure")})
                self.crawler.engine.crawl(scrapy.Request(
                    target, callback=refresh_callback, errback=self.on_error,
                    priority=PRIORITY.get(response.meta.get("kind"), 0),
                    meta={**meta, "gk_referer": response.url}))
            return False
        if refresh_callback is not None and not isinstance(response, TextResponse):
            return False
        return True

    def on_error(self, failure):
        request = getattr(failure, "request", None)
        if request is not None:
            record_failure(self, request, failure.value)

    def closed(self, reason):
        self.crawler.stats.set_value("gongkai/finish_reason", reason)
