"""One fixture portal per CMS family with every trap the crawler must survive, plus the expected
outcome. Placeholder documents are made here (the crawler only sniffs and stores bytes)."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

from gongkai.samples import portal as sp
from gongkai.samples import server as srv

# ../shared beside the repository root (a CI clone), or one level up (a git worktree under wt/)
_CANDIDATES = [Path(__file__).resolve().parents[n] / "shared" for n in (3, 4)]
SHARED = next((p for p in _CANDIDATES if p.is_dir()), _CANDIDATES[0])
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ORG = {"trs": "示例市", "hanweb": "示例县", "gkmlpt": "示例区", "generic": "示例镇"}
FAST = {
    "DOWNLOAD_DELAY": 0,
    "AUTOTHROTTLE_START_DELAY": 0,
    "AUTOTHROTTLE_MAX_DELAY": 0.2,
    "DOWNLOAD_DELAY_JITTER": 0,
    "LOG_LEVEL": "INFO",
}


def pdf(tag: str) -> bytes:
    return (
        b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n% "
        + tag.encode("utf-8")
        + b"\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
    )


def _zip(files: dict[str, str]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, text in files.items():
            zf.writestr(zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0)), text)
    return buf.getvalue()


def docx(tag: str) -> bytes:
    return _zip({"[Content_Types].xml": "<Types/>", "word/document.xml": f"<w:document><w:t>{tag}</w:t></w:document>"})


def xlsx(tag: str) -> bytes:
    return _zip({"[Content_Types].xml": "<Types/>", "xl/workbook.xml": f"<workbook><!-- {tag} --></workbook>"})


def ofd(tag: str) -> bytes:
    return _zip({"OFD.xml": f"<ofd:OFD><!-- {tag} --></ofd:OFD>", "Doc_0/Document.xml": "<ofd:Document/>"})


def ole(stream: str, tag: str) -> bytes:
    return OLE_MAGIC + b"\0" * 504 + stream.encode("utf-16-le") + b"\0" * 64 + tag.encode("utf-8")


def table(year: int) -> str:
    rows = "".join(f"<tr><td>第二十条第（{i}）项</td><td>{i * 3}</td><td>{i}</td></tr>" for i in range(1, 5))
    return (
        f"<p>{year}年，我单位认真贯彻《条例》。</p><h3>二、主动公开政府信息情况</h3><table border=1>{rows}</table>"
        "<h3>三、收到和处理政府信息公开申请情况</h3><h3>四、政府信息公开行政复议、行政诉讼情况</h3>"
    )


@dataclass(frozen=True)
class Scenario:
    family: str
    site: sp.SampleSite
    server: srv.PortalServer
    offsite: srv.PortalServer
    expected: frozenset  # {(year, role, format)}
    non_report_paths: tuple[str, ...]
    traps: dict  # name → URL path (or full URL) of the trap


def title(family: str, year: int) -> str:
    return f"{ORG[family]}{year}年政府信息公开工作年度报告"


def build(family: str, root: Path, offsite: srv.PortalServer) -> Scenario:
    """The scenario served by a not-yet-started server (the off-site server must be running)."""
    off = offsite.base_url
    T = lambda y: title(family, y)  # noqa: E731
    dup = pdf("the 2022 report")
    arts = [
        sp.SampleArticle(T(2023), "2024-01-25", table(2023)),
        sp.SampleArticle(
            T(2022),
            "2023-01-20",
            "<p>详见附件。</p>",
            (("2022年年报.pdf", dup),),
            extra_links=(
                ("已删除的附件.pdf", "/files/missing-2022.pdf"),
                ("外站附件.pdf", f"{off}/files/offsite-2022.pdf"),
                ("内部附件.pdf", "/private/2022-internal.pdf"),
            ),
        ),
        sp.SampleArticle(T(2021), "2022-01-21", "<p>见附件</p>", (("2021年报.docx", docx("2021")),)),
        sp.SampleArticle(T(2020), "2021-01-22", "<p>见附件</p>", (("2020年报.doc", ole("WordDocument", "2020")),)),
        sp.SampleArticle(T(2019), "2020-01-23", "<p>见附件</p>", (("2019年报.wps", ole("WordDocument", "2019")),)),
        sp.SampleArticle(T(2018), "2019-01-24", "<p>见附件</p>", (("2018年报.ofd", ofd("2018")),)),
        sp.SampleArticle(
            T(2017),
            "2018-01-25",
            "<p>见附件</p>",
            (("2017年统计表.xls", ole("Workbook", "2017")), ("2017年统计表.xlsx", xlsx("2017"))),
        ),
        sp.SampleArticle(
            T(2016),
            "2017-01-26",
            table(2016) + "<p>镕堃</p>",
            (("2016年报（同2022）.pdf", dup),),
            encoding="gbk",
            declare_charset=False,
        ),
        sp.SampleArticle(T(2014), "2015-01-27", "<p>见附件</p>", (("2014年报.pdf", pdf("2014")),), listed=False),
        sp.SampleArticle(T(2009), "2010-01-28", table(2009), listed=False),
        sp.SampleArticle(
            f"关于做好{ORG[family]}2023年度政府信息公开工作年度报告编制工作的通知",
            "2023-12-01",
            "<p>各单位：……</p>",
            (("通知附件.pdf", pdf("notice")),),
        ),
        sp.SampleArticle(
            f"{ORG[family]}2024年政务公开工作要点", "2024-03-01", "<p>要点</p>", (("工作要点.docx", docx("points")),)
        ),
    ]
    deleted = {
        "trs": "/zwgk/zfxxgk/zfxxgknb/201301/t20130128_9999.html",
        "hanweb": "/art/2013/1/28/art_123_9999.html",
        "gkmlpt": "/gkmlpt/content/2/2571/post_9999.html",
        "generic": "/xxgk/ndbg/9999.html",
    }[family]
    traps = {
        "challenge": "/trap/412.html",
        "jsl": "/trap/521.html",
        "edgeone": "/trap/eo.html",
        "redirect": "/old/2014.html",
        "not_found": "/trap/2013-removed.html",
        "deleted": deleted,
        "offsite": f"{off}/zfxxgknb/2011.html",
        "disallowed": "/private/2010.html",
        "cookie_gate": "/gate/2009.html",
        "missing_attachment": "/files/missing-2022.pdf",
        "offsite_attachment": f"{off}/files/offsite-2022.pdf",
        "disallowed_attachment": "/private/2022-internal.pdf",
    }
    extra = (
        sp.ListEntry(T(2015), traps["challenge"], "2016-01-20"),
        sp.ListEntry(T(2006), traps["jsl"], "2007-01-20"),
        sp.ListEntry(T(2005), traps["edgeone"], "2006-01-20"),
        sp.ListEntry(T(2014), traps["redirect"], "2015-01-27"),
        sp.ListEntry(T(2013), traps["not_found"], "2014-01-20"),
        sp.ListEntry(T(2012), traps["deleted"], "2013-01-28"),
        sp.ListEntry(T(2011), traps["offsite"], "2012-01-20"),
        sp.ListEntry(T(2010), traps["disallowed"], "2011-01-20"),
        sp.ListEntry(T(2009), traps["cookie_gate"], "2010-01-28"),
        sp.ListEntry(T(2008), "/direct/2008.pdf", "2009-01-20"),  # the list links the file itself
        sp.ListEntry(T(2007), "/direct/get.jsp?id=2007", "2008-01-20"),  # a download URL without extension
    )
    direct_pdf, direct_docx = pdf("direct 2008"), docx("direct 2007")
    site = (
        sp.BUILDERS[family](root, arts, extra_entries=extra, per_page=4)
        if family != "hanweb"
        else sp.build_hanweb_site(root, arts, extra_entries=extra, per_page=3, group_size=2)
    )
    column_ref = {"trs": "../", "hanweb": site.column_path, "gkmlpt": "/gkmlpt/index", "generic": "list"}[family]
    routes = dict(site.routes)
    page_2014, page_2009 = site.pages[T(2014)], site.pages[T(2009)]
    routes.update(
        {
            traps["challenge"]: srv.challenge("ruishu"),
            traps["jsl"]: srv.challenge("jsl"),
            traps["edgeone"]: srv.challenge("edgeone"),
            traps["redirect"]: srv.redirect(page_2014, 301),
            traps["not_found"]: srv.not_found(),
            traps["deleted"]: srv.meta_refresh(column_ref),
            traps["cookie_gate"]: srv.cookie_gate(
                lambda req: srv.static_file(site.root, srv.Req("GET", page_2009, "", req.headers))
            ),
            "/robots.txt": srv.robots(disallow=["/private/"], crawl_delay=0.05),
            "/direct/2008.pdf": lambda req: srv.conditional(req, direct_pdf, 1.7e9, "application/pdf"),
            "/direct/get.jsp": lambda req: srv.conditional(req, direct_docx, 1.7e9, "application/octet-stream"),
        }
    )
    server = srv.PortalServer(site.root, routes)
    # pages that only say 详见附件 are landing pages (landings.jsonl), not documents
    expected = frozenset(
        {
            (2023, "page", "html"),
            (2022, "attachment", "pdf"),
            (2021, "attachment", "docx"),
            (2020, "attachment", "doc"),
            (2019, "attachment", "wps"),
            (2018, "attachment", "ofd"),
            (2017, "attachment", "xls"),
            (2017, "attachment", "xlsx"),
            (2016, "page", "html"),
            (2016, "attachment", "pdf"),
            (2014, "attachment", "pdf"),
            (2009, "page", "html"),
            (2008, "attachment", "pdf"),
            (2007, "attachment", "docx"),
        }
    )
    non_report = [site.pages[a.title] for a in arts[-2:]] + [
        site.files[(a.title, f)] for a in arts[-2:] for f, _ in a.attachments
    ]
    return Scenario(family, site, server, offsite, expected, tuple(non_report), traps)
