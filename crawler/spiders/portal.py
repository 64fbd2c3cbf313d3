"""The one spider: ``scrapy crawl portal -a sources=FILE -a source=ID -a run_id=RUN -a data_dir=DATA``.

It finds the annual-report column (``crawler.discovery``), reads its list pages through the CMS
family (``crawler.families``), and yields requests (their ``crawler.meta.GkMeta`` says what each is
for) and items: a ``DocumentRecord`` per report page or file, a ``LandingRecord`` per article page
that only links its report, a ``FetchRecord`` per failure its errback sees; the item pipelines
write them. ``-a discover=1``: no article is fetched, ``PageSeen`` / ``ReportLink`` items instead."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import scrapy
from scrapy.exceptions import UsageError
from scrapy.http import TextResponse

from pipeline.sniff import sniff

from .. import discovery, meta
from ..attachments import filename_for, is_attachment
from ..families import ListFetch, Page, detect, family
from ..fetchlog import failure_record
from ..htmlmeta import Link, links, page_title, site_name
from ..items import DocumentRecord, LandingRecord, PageSeen, ReportLink
from ..landing import holds_report
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


class _Referer:
    """Stands for the response a failed request never got (its referer and hop count)."""

    def __init__(self, request):
        self.url = meta.of(request).referer or request.url
        self.meta = {meta.KEY: meta.GkMeta(hops=meta.of(request).hops)}


def page_url(response) -> str:
    """The URL of a page with the fragment it was asked for: Scrapy keeps ``#2145`` in request.url but
    not in response.url, and a gkmlpt start URL names its category there."""
    asked = [response.request.url, *(response.meta.get("redirect_urls") or ())[:1]]
    frag = next((urlsplit(u).fragment for u in asked if urlsplit(u).fragment), "")
    base = response.url.split("#", 1)[0]
    return f"{base}#{frag}" if frag else base


class PortalSpider(scrapy.Spider):
    name = "portal"

    @staticmethod
    def check_args(sources: str | None = None, source: str | None = None, run_id: str | None = None, **_):
        """The source the arguments name; ``UsageError`` (one line) when they cannot work."""
        missing = [n for n, v in (("sources", sources), ("source", source), ("run_id", run_id)) if not v]
        if missing:
            raise UsageError(f"portal spider needs -a {' -a '.join(m + '=…' for m in missing)}")
        if not _RUN_ID_RE.match(run_id) or ".." in run_id:
            raise UsageError(f"run_id {run_id!r} must be letters, digits and _.:+-")
        try:
            sf = load_sources(sources)
            return sf, sf.get(source)
        except SourcesError as exc:
            raise UsageError(str(exc)) from None

    def __init__(
        self,
        sources: str | None = None,
        source: str | None = None,
        run_id: str | None = None,
        data_dir: str = "data",
        discover: str | None = None,
        **kwargs,
    ):
        super().__init__(**kwargs)
        sf, self.source = self.check_args(sources, source, run_id)
        self.source_id = self.source.id
        self.run_id = run_id
        self.allowed_domains = list(self.source.allowed_domains)
        self.allow_private_addresses = sf.allow_private_addresses
        self.data_dir = data_dir
        self.store = ContentStore(data_dir)
        self.validators = load_validators(data_dir, self.source_id, exclude_run=run_id)
        self.years = set(self.source.years) if self.source.years else None
        self.forced = None if self.source.cms == "auto" else family(self.source.cms)
        self._discovery_pages = 0
        self._list_pages = 0
        self._lists_seen: set[str] = set()
        # discovery mode (gongkai discover): list the column's report links, fetch no article
        self.discover = discover not in (None, "", "0", "false")
        self._reports_seen: set[str] = set()

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
            yield self._request(url, self.parse_page, kind, referer=None, hops=0, start=True)

    def _request(self, url: str, callback, kind: str, referer: str | None, **fields) -> scrapy.Request:
        return scrapy.Request(
            url,
            callback=callback,
            errback=self.on_error,
            priority=PRIORITY.get(kind, 0),
            meta=meta.meta_for(kind=kind, referer=referer, **fields),
        )

    # ---- pages on the way to, and of, the annual-report column
    def parse_page(self, response):
        if not self._usable(response, self.parse_page):
            return
        gk = meta.of(response)
        kind, hops, tags = gk.kind, gk.hops, gk.fetched.page_meta
        page = Page(page_url(response), response.text, response.selector)
        fam = self.forced or detect(page)
        self.crawler.stats.set_value(f"gongkai/family/{kind}", fam.name)
        found = links(page.sel, page.url)
        max_hops = self._setting("GONGKAI_DISCOVERY_DEPTH", 3)
        n_reports = 0
        for link in found:
            what = discovery.classify(link)
            if what == "report":
                n_reports += 1
                yield from self._article(link, response)
            elif what == "column" and kind in ("home", "other", "column"):
                req = self._discovery(link.url, "column", response, hops + 1)
                if req is not None:
                    yield req
            elif what == "hub" and kind in ("home", "other") and hops < max_hops:
                req = self._discovery(link.url, "other", response, hops + 1)
                if req is not None:
                    yield req
        column_meta = tags.get("ColumnName", "")
        # a start URL is the column the operator chose (部门年报, 乡镇（街道）年报, 2023年度, slugs nobody
        # knows): when it lists reports itself, its pagination is followed as a column's
        chosen = kind == "home" and gk.start and n_reports > 0
        if chosen:
            self._stat("start_pages_read_as_column")
        listing = kind in ("column", "list") or chosen or discovery.is_column_text(column_meta) or fam.name == "gkmlpt"
        if self.discover:
            yield PageSeen(
                page.url,
                kind,
                fam.name,
                page_title(page.sel, tags),
                site_name(page.sel, tags),
                bool(listing),
                n_reports,
            )
        if listing:
            self._lists_seen.update({canonical_list_url(response.url), canonical_list_url(response.request.url)})
            yield from self._list_result(fam.list_page(page), response, fam.name)

    def parse_payload(self, response):
        """A data-proxy XML or JSON API page of a column."""
        if not self._usable(response, None):
            return
        gk = meta.of(response)
        fam = family(gk.family)
        text = response.text if isinstance(response, TextResponse) else response.body.decode("utf-8", "replace")
        try:
            result = fam.payload(gk.payload, response.url, text, gk.formdata)
        except ValueError as exc:
            self.logger.warning("unreadable list payload %s: %s", response.url, exc)
            self._stat("list_payload_unreadable")
            yield from self._fallback(response.request, response)
            return
        if self.discover:
            yield PageSeen(response.url, "list", fam.name, "", "", True, len(result.articles))
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
        key = canonical_list_url(lf.url) if lf.method == "GET" else f"{lf.method} {lf.url} {sorted(lf.formdata)}"
        if key in self._lists_seen:
            return None
        self._lists_seen.add(key)
        if self._list_pages >= self._setting("GONGKAI_MAX_LIST_PAGES", 200):
            self._stat("list_pages_capped")
            return None
        self._list_pages += 1
        hops = meta.of(response).hops
        if lf.payload == "html":
            return self._request(lf.url, self.parse_page, "list", response.url, hops=hops)
        fields = meta.meta_for(
            kind="list",
            referer=response.url,
            family=fam_name,
            payload=lf.payload,
            formdata=tuple(lf.formdata),
            fallback=lf.fallback,
            hops=hops,
        )
        if lf.method == "POST":
            return scrapy.FormRequest(
                lf.url,
                formdata=dict(lf.formdata),
                callback=self.parse_payload,
                errback=self.on_error,
                priority=PRIORITY["list"],
                meta=fields,
            )
        return scrapy.Request(
            lf.url, callback=self.parse_payload, errback=self.on_error, priority=PRIORITY["list"], meta=fields
        )

    # ---- articles and their attachments
    def _article(self, link: Link, response, unsure: bool = False):
        title = link.label
        year = report_year(title) or report_year(link.text)
        if not unsure and self.years and year not in self.years:
            self._stat("articles_outside_years")
            return
        self._stat("article_links")
        if self.discover:
            if link.url not in self._reports_seen:
                self._reports_seen.add(link.url)
                yield ReportLink(link.url, title, year, response.url)
            return
        if is_attachment(link) and not unsure:
            # a list that links the report file itself: the list page is the page that linked it
            yield self._request(
                link.url,
                self.parse_attachment,
                "attachment",
                response.url,
                page_url=response.url,
                title=title,
                year=year,
                link_text=link.label,
            )
            return
        yield self._request(
            link.url, self.parse_article, "article", response.url, list_title=title, year=year, unsure=unsure
        )

    def parse_article(self, response):
        gk = meta.of(response)
        if not isinstance(response, TextResponse) and _usable_outcome(gk) and not gk.unsure:
            # the article link served a file (download.jsp?id=…): it is the report itself
            meta.update(response, page_url=gk.referer or response.url, title=gk.list_title, link_text="")
            yield from self.parse_attachment(response)
            return
        if not self._usable(response, self.parse_article):
            return
        tags, sel = gk.fetched.page_meta, response.selector
        on_page = page_title(sel, tags)
        year = report_year(on_page)
        title = on_page if year else gk.list_title or ""
        if year is None and not gk.unsure:
            year = report_year(gk.list_title or "")
        if year is None:
            self._stat("articles_not_reports")
            return
        if self.years and year not in self.years:
            self._stat("articles_outside_years")
            return
        pub_date = tags.get("PubDate") or tags.get("pubdate")
        files = [link for link in links(sel, response.url) if is_attachment(link) and link.url != response.url]
        limit = self._setting("GONGKAI_MAX_ATTACHMENTS_PER_ARTICLE", 20)
        if len(files) > limit:
            self._stat("attachments_capped")
            files = files[:limit]
        # with attachments, the report is in them, not in the page's pictures
        images = [] if files else self._report_images(response)
        yield self._page_item(response, gk.fetched, title, year, pub_date, len(files), bool(images))
        for link in files:
            yield self._request(
                link.url,
                self.parse_attachment,
                "attachment",
                response.url,
                page_url=response.url,
                title=title,
                year=year,
                link_text=link.label,
                pub_date=pub_date,
            )
        for src in images:  # fetched and stored like attachments, recorded with their page
            yield self._request(
                response.urljoin(src),
                self.parse_page_image,
                "attachment",
                response.url,
                page_url=response.url,
                title=title,
                year=year,
                link_text=src,
                pub_date=pub_date,
            )

    def _report_images(self, response) -> list[str]:
        """The ``src`` of the images an article prints its report as (``pipeline.html_images`` decides,
        as the parser will); a data: URI is read from the page itself."""
        from pipeline.html_layout import image_srcs

        srcs = [s for s in image_srcs(response.body) if not s.startswith("data:")]
        return srcs[: self._setting("GONGKAI_MAX_PAGE_IMAGES", 60)]

    def _page_item(
        self, response, got: meta.Fetched, title: str, year: int, pub_date, n_files: int, images: bool = False
    ):
        """The article page as a document when it holds the report (as text, or as images read with
        it); else a landing page: the provenance of its files, or a page with no report at all."""
        if got.sha256 and (images or holds_report(response.selector)):
            return DocumentRecord(
                run_id=self.run_id,
                source_id=self.source_id,
                sha256=got.sha256,
                format=got.format,
                document_url=response.url,
                page_url=response.url,
                title=title,
                year_hint=year,
                fetched_at=got.fetched_at,
                store_path=store_relpath(got.sha256),
                role="page",
                filename=None,
                new=got.stored_new,
                not_modified="not_modified" in response.flags,
                has_table=len(response.selector.xpath("//table//td")) >= 6,
                pub_date=pub_date,
            )
        return LandingRecord(
            self.run_id,
            self.source_id,
            response.url,
            title,
            year,
            got.fetched_at,
            got.sha256,
            "links_report" if n_files else "no_report",
            n_files,
        )

    def parse_attachment(self, response):
        if not self._usable(response, None):
            return
        gk = meta.of(response)
        sha = gk.fetched.sha256
        if not sha:
            return
        cd = response.headers.get("Content-Disposition")
        cd = cd.decode("latin-1") if cd else None
        name = filename_for(response.url, cd, gk.link_text)
        yield DocumentRecord(
            run_id=self.run_id,
            source_id=self.source_id,
            sha256=sha,
            format=sniff(response.body, name, cd or ""),
            document_url=response.url,
            page_url=gk.page_url,
            title=gk.title or "",
            year_hint=gk.year,
            fetched_at=gk.fetched.fetched_at,
            store_path=store_relpath(sha),
            role="attachment",
            filename=name,
            new=gk.fetched.stored_new,
            not_modified="not_modified" in response.flags,
            pub_date=gk.pub_date,
        )

    def parse_page_image(self, response):
        """One image of a page's report: role ``page_image``, ``filename`` = its ``src`` as written."""
        if not self._usable(response, None):
            return
        gk = meta.of(response)
        sha = gk.fetched.sha256
        if not sha:
            return
        yield DocumentRecord(
            run_id=self.run_id,
            source_id=self.source_id,
            sha256=sha,
            format=sniff(response.body, response.url),
            document_url=response.url,
            page_url=gk.page_url,
            title=gk.title or "",
            year_hint=gk.year,
            fetched_at=gk.fetched.fetched_at,
            store_path=store_relpath(sha),
            role="page_image",
            filename=gk.link_text,
            new=gk.fetched.stored_new,
            not_modified="not_modified" in response.flags,
            pub_date=gk.pub_date,
        )

    # ---- shared
    def is_known_list(self, url: str) -> bool:
        """A column or list page of this crawl (a page refreshing there has been withdrawn)."""
        return canonical_list_url(url) in self._lists_seen

    def _usable(self, response, refresh_callback) -> bool:
        """Only ok / not_modified responses are parsed; a meta refresh elsewhere is followed."""
        gk = meta.of(response)
        if not _usable_outcome(gk):
            return False
        if gk.fetched.refresh_to:
            if refresh_callback is not None:
                scrapy_keys = {
                    k: v
                    for k, v in response.meta.items()
                    if k != meta.KEY and not k.startswith(("gk_", "redirect_", "download_", "depth"))
                }
                follow = meta.GkMeta(
                    kind=gk.kind,
                    hops=gk.hops,
                    referer=response.url,
                    list_title=gk.list_title,
                    year=gk.year,
                    unsure=gk.unsure,
                )
                self.crawler.engine.crawl(
                    scrapy.Request(
                        gk.fetched.refresh_to,
                        callback=refresh_callback,
                        errback=self.on_error,
                        priority=PRIORITY.get(gk.kind, 0),
                        meta={**scrapy_keys, meta.KEY: follow},
                    )
                )
            return False
        if refresh_callback is not None and not isinstance(response, TextResponse):
            return False
        return True

    def _fallback(self, request, response):
        """The listing to ask for when a list fetch failed (a tree API the site does not have)."""
        gk = meta.of(request)
        if gk.fallback is not None:
            self._stat("list_fallbacks")
            req = self._list_request(gk.fallback, response, gk.family or "generic")
            if req is not None:
                yield req

    def on_error(self, failure):
        request = getattr(failure, "request", None)
        if request is not None:
            rec = failure_record(self, request, failure.value)
            if rec is not None:
                yield rec
            response = getattr(failure.value, "response", None)
            yield from self._fallback(request, response if response is not None else _Referer(request))

    def closed(self, reason):
        self.crawler.stats.set_value("gongkai/finish_reason", reason)


def _usable_outcome(gk: meta.GkMeta) -> bool:
    return gk.fetched is not None and gk.fetched.outcome in ("ok", "not_modified")
