"""Sample portals, one per CMS family, built as static site directories (plus the few dynamic
routes the family needs) from a list of articles. Served by ``gongkai.samples.server``."""

from __future__ import annotations

import html
import json
import math
import zlib
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from . import server as srv

COLUMN_NAME = "政府信息公开年报"


@dataclass(frozen=True)
class SampleArticle:
    title: str
    pub_date: str  # "2023-02-20"
    body_html: str = ""  # may hold the report as an HTML table
    attachments: tuple[tuple[str, bytes], ...] = ()  # (file name as shown, bytes)
    source: str = ""
    encoding: str = "utf-8"  # bytes of the page ("gbk" for GB-encoded pages)
    declare_charset: bool = True  # False: no <meta charset> (and the server sends none)
    extra_links: tuple[tuple[str, str], ...] = ()  # (text, href) added to the attachment list
    listed: bool = True  # False: the page exists but the column lists another URL for it (a redirect)


@dataclass(frozen=True)
class ListEntry:
    """A list item that is not a sample article (a trap: 404, redirect, off-site, …)."""

    title: str
    href: str
    pub_date: str


@dataclass(frozen=True)
class SampleSite:
    family: str
    root: Path
    start_path: str
    column_path: str
    routes: dict = field(default_factory=dict)
    pages: dict = field(default_factory=dict)  # article title → URL path of its page
    files: dict = field(default_factory=dict)  # (article title, file name) → URL path

    def serve(self, **kwargs) -> srv.PortalServer:
        return srv.PortalServer(self.root, dict(self.routes), **kwargs)


def _e(s: str) -> str:
    return html.escape(s, quote=True)


def _entries(articles, extra, pages):
    items = [(a.pub_date, a.title, pages[a.title]) for a in articles if a.listed]
    items += [(e.pub_date, e.title, e.href) for e in extra]
    return sorted(items, key=lambda t: t[0], reverse=True)


def _write(path: Path, data: bytes | str, encoding: str = "utf-8") -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data if isinstance(data, bytes) else data.encode(encoding))


def _charset_meta(a: SampleArticle) -> str:
    if not a.declare_charset:
        return ""
    name = "gb2312" if a.encoding.lower() in ("gbk", "gb2312", "gb18030") else a.encoding
    return f'<meta http-equiv="Content-Type" content="text/html; charset={name}">'


def _page_bytes(a: SampleArticle, text: str) -> bytes:
    enc = "gb18030" if a.encoding.lower() in ("gbk", "gb2312", "gb18030") else a.encoding
    return text.encode(enc)


def _meta_tags(site: str, site_code: str, a: SampleArticle, url_path: str, doc_id: int) -> str:
    tags = [
        ("SiteName", site),
        ("SiteDomain", "localhost"),
        ("SiteIDCode", site_code),
        ("ColumnName", COLUMN_NAME),
        ("ColumnType", COLUMN_NAME),
        ("ArticleTitle", a.title),
        ("PubDate", f"{a.pub_date} 09:30"),
        ("ContentSource", a.source or site),
        ("Keywords", ""),
        ("Url", url_path),
        ("DocId", str(doc_id)),
    ]
    return "\n".join(f'<meta name="{k}" content="{_e(v)}"/>' for k, v in tags)


def _ext(filename: str) -> str:
    return filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"


def _footer() -> str:
    return (
        '<div class="footer"><a href="https://www.gov.cn/" target="_blank">中国政府网</a> '
        '<a href="http://www.beian.gov.cn/" target="_blank">备案</a></div>'
    )


# ---------------------------------------------------------------- TRS WCM
def build_trs_site(
    root: str | Path,
    articles: list[SampleArticle],
    *,
    site_name: str = "示例市人民政府",
    site_code: str = "3300000001",
    per_page: int = 10,
    extra_entries: tuple[ListEntry, ...] = (),
) -> SampleSite:
    """Home → 政府信息公开 → 政府信息公开年报 (``createPageHTML`` pages) → articles (``t2023…_N.html``,
    report in ``div.TRS_Editor`` or attached as ``P0…`` files)."""
    root = Path(root)
    col = "/zwgk/zfxxgk/zfxxgknb/"
    pages, files = {}, {}
    for i, a in enumerate(articles):
        doc_id = 1001 + i
        ym, ymd = a.pub_date[:7].replace("-", ""), a.pub_date.replace("-", "")
        pages[a.title] = f"{col}{ym}/t{ymd}_{doc_id}.html"
        for n, (fname, data) in enumerate(a.attachments):
            files[(a.title, fname)] = f"{col}{ym}/P0{ymd}{doc_id}{n:02d}.{_ext(fname)}"

    _write(
        root / "index.html",
        f"""<!DOCTYPE html><html><head><meta charset="utf-8">
<meta name="SiteName" content="{_e(site_name)}"/><meta name="SiteIDCode" content="{site_code}"/>
<title>{_e(site_name)}</title></head><body>
<div class="nav"><a href="/">首页</a> <a href="/zwgk/">政务公开</a> <a href="/zwgk/zfxxgk/">政府信息公开</a>
<a href="/hdjl/">互动交流</a></div>
<div class="news"><ul><li><a href="/xwzx/202401/t20240105_1.html">全市经济运行情况</a></li></ul></div>
{_footer()}</body></html>""",
    )
    _write(
        root / "zwgk/index.html",
        f"""<!DOCTYPE html><html><head><meta charset="utf-8">
<meta name="ColumnName" content="政务公开"/><title>政务公开_{_e(site_name)}</title></head><body>
<div class="side"><a href="/zwgk/zfxxgk/">政府信息公开</a> <a href="/zwgk/zcjd/">政策解读</a></div>{_footer()}</body></html>""",
    )
    _write(
        root / "zwgk/zfxxgk/index.html",
        f"""<!DOCTYPE html><html><head><meta charset="utf-8">
<meta name="ColumnName" content="政府信息公开"/><title>政府信息公开_{_e(site_name)}</title></head><body>
<div class="side"><ul>
<li><a href="./zfxxgkzn/">政府信息公开指南</a></li><li><a href="./zfxxgkzd/">政府信息公开制度</a></li>
<li><a href="./fdzdgknr/">法定主动公开内容</a></li><li><a href="./zfxxgknb/">政府信息公开年报</a></li>
<li><a href="./zfxxgksq/">政府信息公开申请</a></li></ul></div>{_footer()}</body></html>""",
    )

    entries = _entries(articles, extra_entries, pages)
    n_pages = max(1, math.ceil(len(entries) / per_page))
    for p in range(n_pages):
        chunk = entries[p * per_page : (p + 1) * per_page]
        lis = "\n".join(
            f'<li><a href="{_e(_rel(col, href))}" target="_blank" title="{_e(t)}">{_e(t)}</a>'
            f'<span class="date">{d}</span></li>'
            for d, t, href in chunk
        )
        call = (
            f'var countPage = {n_pages}//共多少页\ncreatePageHTML(countPage, {p}, "index", "html");'
            if p == 0
            else f'createPageHTML({n_pages}, {p}, "index", "html");'
        )
        _write(
            root / col.lstrip("/") / ("index.html" if p == 0 else f"index_{p}.html"),
            f"""<!DOCTYPE html>
<html><head><meta charset="utf-8"><meta name="SiteName" content="{_e(site_name)}"/>
<meta name="SiteIDCode" content="{site_code}"/><meta name="ColumnName" content="{COLUMN_NAME}"/>
<meta name="ColumnType" content="{COLUMN_NAME}"/><title>{COLUMN_NAME}_政府信息公开_{_e(site_name)}</title>
</head><body><div class="crumb"><a href="/">首页</a> &gt; <a href="../">政府信息公开</a> &gt; {COLUMN_NAME}</div>
<ul class="list">
{lis}
</ul>
<div class="page"><script type="text/javascript">
function createPageHTML(total, cur, name, ext) {{ /* pager widget */ }}
{call}
</script></div>{_footer()}</body></html>""",
        )

    _write_trs_articles(root, articles, pages, files, site_name, site_code)
    return SampleSite("trs", root, "/", col, {}, pages, files)


def _write_trs_articles(
    root: Path, articles: list[SampleArticle], pages: dict, files: dict, site_name: str, site_code: str
) -> None:
    """The article pages (report in ``div.TRS_Editor``, attachments listed in ``div.fj``) and their files."""
    for i, a in enumerate(articles):
        path = pages[a.title]
        fj = [(fname, _rel(path, files[(a.title, fname)])) for fname, _ in a.attachments] + list(a.extra_links)
        fj_html = "".join(f'<li><a href="{_e(h)}">{_e(t)}</a></li>' for t, h in fj)
        text = f"""<!DOCTYPE html><html><head>{_charset_meta(a)}
{_meta_tags(site_name, site_code, a, path, 1001 + i)}
<title>{_e(a.title)}_{COLUMN_NAME}_{_e(site_name)}</title></head><body>
<div class="crumb"><a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a> &gt;
<a href="../../">政府信息公开</a> &gt; <a href="../">{COLUMN_NAME}</a></div>
<h1 class="title">{_e(a.title)}</h1><div class="info">发布日期：{a.pub_date} 来源：{_e(a.source or site_name)}</div>
<div class="TRS_Editor">{a.body_html}</div>
<div class="fj">{"<p>附件：</p><ul>" + fj_html + "</ul>" if fj_html else ""}</div>
{_footer()}</body></html>"""
        _write(root / path.lstrip("/"), _page_bytes(a, text))
        for fname, data in a.attachments:
            _write(root / files[(a.title, fname)].lstrip("/"), data)


def _rel(from_path: str, href: str) -> str:
    """A relative link like TRS writes them (``./202302/t…html``), or ``href`` unchanged if absolute."""
    if "://" in href or not href.startswith("/"):
        return href
    base = from_path if from_path.endswith("/") else from_path.rsplit("/", 1)[0] + "/"
    if href.startswith(base):
        return "./" + href[len(base) :]
    parent = base.rstrip("/").rsplit("/", 1)[0] + "/"
    if href.startswith(parent) and parent != "/":
        return "../" + href[len(parent) :]
    return href


# ---------------------------------------------------------------- Hanweb JCMS
def _links(a: SampleArticle, files: dict) -> list[tuple[str, str]]:
    """(text, href) of an article's attachments as served, then its extra links."""
    return [(fname, files[(a.title, fname)]) for fname, _ in a.attachments] + list(a.extra_links)


def build_hanweb_site(
    root: str | Path,
    articles: list[SampleArticle],
    *,
    site_name: str = "示例县人民政府",
    site_code: str = "3300000002",
    per_page: int = 3,
    group_size: int = 2,
    column_id: int = 123,
    unit_id: int = 4567,
    extra_entries: tuple[ListEntry, ...] = (),
) -> SampleSite:
    """Home → 信息公开 → column ``/col/col123/index.html`` (first records in a ``<datastore>``, the rest
    by POST to ``dataproxy.jsp``) → ``/art/Y/M/D/art_123_N.html`` → ``downfile.jsp?filename=`` files."""
    root = Path(root)
    col = f"/col/col{column_id}/index.html"
    pages, files, downloads = {}, {}, {}
    for i, a in enumerate(articles):
        doc_id = 1001 + i
        y, m, d = (int(x) for x in a.pub_date.split("-"))
        pages[a.title] = f"/art/{y}/{m}/{d}/art_{column_id}_{doc_id}.html"
        for n, (fname, data) in enumerate(a.attachments):
            key = f"{doc_id:06d}{n:02d}{zlib.crc32(fname.encode()) % 10**6:06d}.{_ext(fname)}"
            files[(a.title, fname)] = f"/module/download/downfile.jsp?classid=0&filename={key}"
            downloads[key] = (fname, data)

    _write(
        root / "index.html",
        f"""<html><head><meta charset="utf-8"><title>{_e(site_name)}</title>
<meta name="SiteName" content="{_e(site_name)}"><meta name="SiteIDCode" content="{site_code}"></head><body>
<div class="nav"><a href="/">首页</a><a href="/col/col100/index.html">信息公开</a><a href="/col/col200/index.html">政务服务</a></div>
{_footer()}</body></html>""",
    )
    _write(
        root / "col/col100/index.html",
        f"""<html><head><meta charset="utf-8"><title>信息公开_{_e(site_name)}</title>
<meta name="ColumnName" content="信息公开"></head><body><ul class="xxgk-nav">
<li><a href="/col/col101/index.html">政府信息公开指南</a></li>
<li><a href="/col/col{column_id}/index.html">政府信息公开年报</a></li>
<li><a href="/col/col102/index.html">法定主动公开内容</a></li></ul>{_footer()}</body></html>""",
    )

    entries = _entries(articles, extra_entries, pages)
    records = [
        f'<li><a href="{_e(href)}" target="_blank" title="{_e(t)}">{_e(t)}</a><span>{d}</span></li>'
        for d, t, href in entries
    ]
    first = records[: per_page * group_size]
    ajax = {
        "col": 1,
        "appid": 1,
        "webid": 1,
        "path": "/",
        "columnid": column_id,
        "sourceContentType": 1,
        "unitid": str(unit_id),
        "webname": site_name,
        "permissiontype": 0,
    }
    ajax_js = ", ".join(f"{k}: '{v}'" if isinstance(v, str) else f"{k}: {v}" for k, v in ajax.items())
    store = "".join(f"<record><![CDATA[{r}]]></record>\n" for r in first)
    _write(
        root / col.lstrip("/"),
        f"""<html><head><meta charset="utf-8"><title>{COLUMN_NAME}_{_e(site_name)}</title>
<meta name="ColumnName" content="{COLUMN_NAME}"><meta name="SiteIDCode" content="{site_code}"></head><body>
<div class="crumb"><a href="/">首页</a> &gt; <a href="/col/col100/index.html">信息公开</a> &gt; {COLUMN_NAME}</div>
<div id="{unit_id}"><script type="text/xml"><datastore>
<nextgroup><![CDATA[<a href="/module/web/jpage/dataproxy.jsp?page=1&appid=1&webid=1&path=/&columnid={column_id}&unitid={unit_id}&permissiontype=0"></a>]]></nextgroup>
<recordset>
{store}</recordset></datastore></script></div>
<script language="javascript" src="/module/jslib/jquery/jpage/jquery.jpage.js"></script>
<script>$(function(){{ $('#{unit_id}').jpage({{ dataStore: dataStore, perPage: {per_page}, totalRecord: {len(records)},
 proxyUrl: '/module/web/jpage/dataproxy.jsp', groupSize: {group_size}, barPosition: 'bottom',
 ajaxParam: {{ {ajax_js} }} }}); }});</script>{_footer()}</body></html>""",
    )

    routes = _hanweb_routes(records, per_page, column_id, unit_id, downloads)
    _write_hanweb_articles(root, articles, pages, files, col, site_name, site_code)
    return SampleSite("hanweb", root, "/", col, routes, pages, files)


def _write_hanweb_articles(
    root: Path, articles: list[SampleArticle], pages: dict, files: dict, col: str, site_name: str, site_code: str
) -> None:
    """The article pages (``/art/…``: a head table, the report in ``div#zoom``, attachments as
    ``downfile.jsp`` links); the files themselves are served by the routes."""
    for i, a in enumerate(articles):
        path = pages[a.title]
        fj = _links(a, files)
        fj_html = "".join(f'<p><a href="{_e(h)}" target="_blank">{_e(t)}</a></p>' for t, h in fj)
        text = f"""<!DOCTYPE html><html><head>{_charset_meta(a)}
{_meta_tags(site_name, site_code, a, path, 1001 + i)}
<title>{_e(a.title)}</title></head><body>
<div class="crumb"><a href="/">首页</a> &gt; <a href="/col/col100/index.html">信息公开</a> &gt;
<a href="{col}">{COLUMN_NAME}</a></div>
<table class="article-head"><tr><td>索引号：</td><td>{site_code}/{1001 + i}</td><td>发布机构：</td><td>{_e(a.source or site_name)}</td></tr>
<tr><td class="title" colspan="4">{_e(a.title)}</td></tr><tr><td>发布日期：</td><td>{a.pub_date}</td><td>文号：</td><td></td></tr></table>
<div id="zoom">{a.body_html}</div>
<div class="fujian">{fj_html}</div>{_footer()}</body></html>"""
        _write(root / path.lstrip("/"), _page_bytes(a, text))


def _hanweb_routes(records: list[str], per_page: int, column_id: int, unit_id: int, downloads: dict) -> dict:
    """The dynamic pages of a Hanweb site: the column's ``dataproxy.jsp`` and ``downfile.jsp``."""

    def dataproxy(req: srv.Req) -> srv.Reply:
        form = req.form
        if form.get("columnid") != str(column_id) or form.get("unitid") != str(unit_id):
            return srv.Reply(
                400,
                b"<datastore><error>bad parameters</error></datastore>",
                (("Content-Type", "text/xml;charset=UTF-8"),),
            )
        args = req.args
        start, end = int(args.get("startrecord", 1)), int(args.get("endrecord", per_page))
        chunk = records[max(0, start - 1) : end]
        body = (
            "<datastore>\n<totalrecord>%d</totalrecord>\n<totalpage>%d</totalpage>\n<recordset>\n%s</recordset>\n"
            "</datastore>"
        ) % (
            len(records),
            math.ceil(len(records) / per_page),
            "".join(f"<record><![CDATA[{r}]]></record>\n" for r in chunk),
        )
        return srv.Reply(200, body.encode("utf-8"), (("Content-Type", "text/xml;charset=UTF-8"),))

    def downfile(req: srv.Req) -> srv.Reply:
        got = downloads.get(req.args.get("filename", ""))
        if got is None:
            return srv.Reply(404, "<html><body>文件不存在</body></html>".encode(), (("Content-Type", "text/html"),))
        return srv.file_download(got[1], got[0])(req)

    return {"POST /module/web/jpage/dataproxy.jsp": dataproxy, "/module/download/downfile.jsp": downfile}


# ---------------------------------------------------------------- Guangdong gkmlpt
def build_gkmlpt_site(
    root: str | Path,
    articles: list[SampleArticle],
    *,
    site_name: str = "示例区人民政府",
    site_code: str = "4400000001",
    per_page: int = 4,
    sid: str = "755",
    category: int = 2571,
    extra_entries: tuple[ListEntry, ...] = (),
) -> SampleSite:
    """Home → 政府信息公开 ``/gkmlpt/index`` (``window._CONFIG``; category links ``#2571``) → JSON API
    ``/gkmlpt/api/all/2571?page=N&sid=755`` → ``/gkmlpt/content/…/post_N.html`` → ``/attachment/…``."""
    root = Path(root)
    pages, files = {}, {}
    for i, a in enumerate(articles):
        doc_id = 5001 + i
        pages[a.title] = f"/gkmlpt/content/2/{category}/post_{doc_id}.html"
        for n, (fname, data) in enumerate(a.attachments):
            files[(a.title, fname)] = f"/attachment/0/{doc_id}/{doc_id}_{n}.{_ext(fname)}"

    _write(
        root / "index.html",
        f"""<html><head><meta charset="utf-8"><title>{_e(site_name)}</title></head>
<body><div class="nav"><a href="/">首页</a> <a href="/gkmlpt/index">政府信息公开</a> <a href="/zwfw/">政务服务</a></div>
{_footer()}</body></html>""",
    )
    index_html = f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>政府信息公开_{_e(site_name)}</title>
<script>window._CONFIG = {{ SID: '{sid}', SITE_NAME: '{_e(site_name)}', LEVEL: 3, API: '/gkmlpt/api' }};</script>
</head><body><div id="app"><ul class="tree">
<li><a href="#1">机构概况</a></li><li><a href="#2">政策文件</a></li>
<li><a href="#{category}">{COLUMN_NAME}</a></li><li><a href="#3">规划信息</a></li></ul></div>
<script src="/gkmlpt/static/js/app.js"></script></body></html>"""
    entries = _entries(articles, extra_entries, pages)

    def api(req: srv.Req):
        if req.args.get("sid") != sid:
            return {"error": "bad sid", "articles": []}
        page = max(1, int(req.args.get("page", 1)))
        host = req.headers.get("host", "127.0.0.1")
        chunk = entries[(page - 1) * per_page : page * per_page]
        arts = []
        for d, t, href in chunk:
            url = href if "://" in href else f"http://{host}{href}#{category}"
            ts = int(datetime.strptime(d, "%Y-%m-%d").replace(tzinfo=timezone.utc).timestamp())
            arts.append(
                {"id": zlib.crc32(t.encode()) % 10**7, "title": t, "url": url, "date": ts, "publisher": site_name}
            )
        return {"articles": arts, "total": len(entries), "page_size": per_page, "classify": {"id": category}}

    routes = {"/gkmlpt/index": srv.text(index_html), f"/gkmlpt/api/all/{category}": srv.json_api(api)}
    for i, a in enumerate(articles):
        path = pages[a.title]
        fj = _links(a, files)
        fj_html = "".join(f'<li><a href="{_e(h)}">{_e(t)}</a></li>' for t, h in fj)
        text = f"""<!DOCTYPE html><html><head>{_charset_meta(a)}
{_meta_tags(site_name, site_code, a, path, 5001 + i)}
<title>{_e(a.title)}</title></head><body><div class="introduce"><table><tr><td>索引号：</td><td>11440000-{5001 + i}</td>
<td>发布日期：</td><td>{a.pub_date}</td></tr></table></div>
<h1 class="content-title">{_e(a.title)}</h1><div class="article-content">{a.body_html}</div>
<div class="article-attachments"><ul>{fj_html}</ul></div>{_footer()}</body></html>"""
        _write(root / path.lstrip("/"), _page_bytes(a, text))
        for fname, data in a.attachments:
            _write(root / files[(a.title, fname)].lstrip("/"), data)
    return SampleSite("gkmlpt", root, "/", "/gkmlpt/index", routes, pages, files)


# ---------------------------------------------------------------- generic
def build_generic_site(
    root: str | Path,
    articles: list[SampleArticle],
    *,
    site_name: str = "示例镇人民政府",
    per_page: int = 4,
    extra_entries: tuple[ListEntry, ...] = (),
) -> SampleSite:
    """No known CMS: home → 信息公开 → 年度报告 ``/xxgk/ndbg/list?page=N`` with 下一页 links."""
    root = Path(root)
    pages, files = {}, {}
    for i, a in enumerate(articles):
        doc_id = 7001 + i
        pages[a.title] = f"/xxgk/ndbg/{doc_id}.html"
        for n, (fname, data) in enumerate(a.attachments):
            files[(a.title, fname)] = f"/uploads/{doc_id}/file{n}.{_ext(fname)}"
    _write(
        root / "index.html",
        f"""<html><head><meta charset="utf-8"><title>{_e(site_name)}</title></head><body>
<a href="/">首页</a> <a href="/xxgk/index.html">信息公开</a> <a href="/news/index.html">新闻动态</a>{_footer()}</body></html>""",
    )
    _write(
        root / "xxgk/index.html",
        f"""<html><head><meta charset="utf-8"><title>信息公开</title></head><body>
<a href="/xxgk/gkzn.html">公开指南</a> <a href="/xxgk/ndbg/list">年度报告</a> <a href="/xxgk/gkml.html">公开目录</a>
{_footer()}</body></html>""",
    )
    entries = _entries(articles, extra_entries, pages)
    n_pages = max(1, math.ceil(len(entries) / per_page))

    def listing(req: srv.Req) -> srv.Reply:
        page = min(max(1, int(req.args.get("page", 1) or 1)), n_pages)
        chunk = entries[(page - 1) * per_page : page * per_page]
        rows = "".join(f'<tr><td><a href="{_e(h)}">{_e(t)}</a></td><td>{d}</td></tr>' for d, t, h in chunk)
        nav = '<a href="list?page=1">首页</a> '
        if page > 1:
            nav += f'<a href="list?page={page - 1}">上一页</a> '
        if page < n_pages:
            nav += f'<a href="list?page={page + 1}">下一页</a> '
        nav += f'<a href="list?page={n_pages}">尾页</a>'
        body = (
            f'<html><head><meta charset="utf-8"><title>年度报告</title></head><body><table class="list">{rows}'
            f'</table><div class="pager">{nav}</div>{_footer()}</body></html>'
        )
        return srv.Reply(200, body.encode("utf-8"), (("Content-Type", "text/html; charset=utf-8"),))

    for i, a in enumerate(articles):
        path = pages[a.title]
        fj = _links(a, files)
        fj_html = "".join(f'<a href="{_e(h)}">{_e(t)}</a><br>' for t, h in fj)
        text = f"""<html><head>{_charset_meta(a)}<title>{_e(a.title)}</title></head><body>
<h2>{_e(a.title)}</h2><p>{a.pub_date}</p><div class="content">{a.body_html}</div><div>{fj_html}</div>
</body></html>"""
        _write(root / path.lstrip("/"), _page_bytes(a, text))
        for fname, data in a.attachments:
            _write(root / files[(a.title, fname)].lstrip("/"), data)
    return SampleSite("generic", root, "/", "/xxgk/ndbg/list", {"/xxgk/ndbg/list": listing}, pages, files)


BUILDERS = {
    "trs": build_trs_site,
    "hanweb": build_hanweb_site,
    "gkmlpt": build_gkmlpt_site,
    "generic": build_generic_site,
}


def sources_yaml(
    source_id: str,
    base_url: str,
    *,
    cms: str = "auto",
    start_path: str = "/",
    name: str = "示例门户",
    allow_private: bool = True,
    years: list[int] | None = None,
) -> str:
    """A sources file for one sample portal served on 127.0.0.1."""
    host = base_url.split("://", 1)[1].split("/", 1)[0]
    entry = {
        "id": source_id,
        "name": name,
        "start_urls": [base_url + start_path],
        "allowed_domains": [host],
        "cms": cms,
    }
    if years:
        entry["years"] = years
    doc = {"allow_private_addresses": allow_private, "sources": [entry]}
    return json.dumps(doc, ensure_ascii=False, indent=1)  # JSON is valid YAML
