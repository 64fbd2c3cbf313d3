"""Pure pieces of the crawler: sources, titles, encodings, discovery, families, outcomes, store."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from crawler import discovery, outcomes
from crawler.attachments import disposition_filename, filename_for, is_attachment
from crawler.encoding import choose_encoding
from crawler.families import Page, detect, family
from crawler.families.hanweb import chunk_fetches, jpage_config, records
from crawler.families.trs import pagination
from crawler.htmlmeta import Link, is_ancestor, meta_tags, refresh_target
from crawler.netguard import private_reason
from crawler.sources import SourcesError, host_allowed, load_sources, parse_sources
from crawler.store import ContentStore
from crawler.titles import is_report_title, report_year
from crawler.validators import load_validators

from crawl_scenario import SHARED

REAL = SHARED / "corpus" / "real"


def _real(name: str) -> str:
    p = REAL / name
    if not p.exists():
        pytest.skip("../shared corpus is not beside this checkout")
    return p.read_text("utf-8")


# ---- sources
def _src(**kw):
    e = {"id": "x", "name": "X", "start_urls": ["https://www.x.gov.cn/zfxxgknb/"], "allowed_domains": ["www.x.gov.cn"]}
    e.update(kw)
    return {"sources": [e]}


def test_sources_contract_example_loads(tmp_path):
    p = tmp_path / "s.yaml"
    p.write_text(
        """sources:
  - id: pingtan                   # stable key
    name: 平潭综合实验区管委会
    region: "350128"
    start_urls: ["https://www.pingtan.gov.cn/zwgk/zfxxgk/zfxxgknb/"]
    allowed_domains: ["www.pingtan.gov.cn"]
    cms: auto
    years: [2021, 2022, 2023]
""",
        encoding="utf-8",
    )
    sf = load_sources(p)
    s = sf.get("pingtan")
    assert s.years == (2021, 2022, 2023) and s.region == "350128" and s.cms == "auto"
    assert sf.allow_private_addresses is False


@pytest.mark.parametrize(
    "entry,needle",
    [
        ({"cms": "wordpress"}, "cms must be one of"),
        ({"start_urls": ["ftp://x/"]}, "not an http(s) URL"),
        ({"start_urls": ["https://evil.example/"]}, "outside allowed_domains"),
        ({"years": ["2022"]}, "years"),
        ({"id": "Has Space"}, "'id'"),
        ({"allowed_domains": []}, "allowed_domains"),
        ({"colour": "red"}, "unknown key"),
        ({"region": "Fujian"}, "region"),
    ],
)
def test_sources_validation_is_one_line(entry, needle):
    with pytest.raises(SourcesError) as exc:
        parse_sources(_src(**entry), "f.yaml")
    assert needle in str(exc.value) and "\n" not in str(exc.value)


def test_sources_file_errors(tmp_path):
    with pytest.raises(SourcesError, match="not found"):
        load_sources(tmp_path / "nope.yaml")
    bad = tmp_path / "bad.yaml"
    bad.write_text("sources: [\n", encoding="utf-8")
    with pytest.raises(SourcesError, match="not valid YAML"):
        load_sources(bad)
    with pytest.raises(SourcesError, match="duplicate source id"):
        parse_sources({"sources": _src()["sources"] * 2})
    with pytest.raises(SourcesError, match="no source with id 'y'"):
        parse_sources(_src()).get("y")


def test_registry_loads_and_cites_every_portal():
    reg = Path(__file__).resolve().parents[2] / "sources" / "registry.yaml"
    sf = load_sources(reg)
    assert len(sf.sources) >= 5 and sf.allow_private_addresses is False
    raw = __import__("yaml").safe_load(reg.read_text("utf-8"))
    for entry in raw["sources"]:
        assert entry.get("cited_from"), entry["id"]


def test_host_allowed():
    assert host_allowed("https://www.x.gov.cn/a", ["www.x.gov.cn"])
    assert host_allowed("https://sub.x.gov.cn/a", ["x.gov.cn"])
    assert not host_allowed("https://www.x.gov.cn.evil.com/a", ["www.x.gov.cn"])
    assert not host_allowed("https://evilx.gov.cn/a", ["x.gov.cn"])
    assert host_allowed("http://127.0.0.1:8123/a", ["127.0.0.1:8123"])
    assert not host_allowed("http://127.0.0.1:8124/a", ["127.0.0.1:8123"])
    assert not host_allowed("http://localhost:8123/a", ["127.0.0.1:8123"])


@pytest.mark.parametrize(
    "ip,label",
    [
        ("127.0.0.1", "loopback"),
        ("10.1.2.3", "private"),
        ("192.168.0.9", "private"),
        ("169.254.1.1", "link-local"),
        ("::1", "loopback"),
        ("::ffff:127.0.0.1", "loopback"),
        ("fe80::1", "link-local"),
        ("202.96.128.86", None),
    ],
)
def test_private_addresses(ip, label):
    assert private_reason(ip) == label


# ---- titles (template_spec.md §10.1)
@pytest.mark.parametrize(
    "title,year",
    [
        ("郑州市卫生健康委员会 2022 年政府信息公开工作年度报告", 2022),
        ("宁波市镇海区卫生健康局2022年度政府信息公开工作年度报告", 2022),
        ("2019年上海市人民政府办公厅政府信息公开工作年度报告", 2019),
        ("定西市公共资源交易中心2020年政府信息公开工作的年度报告", 2020),
        ("舒兰市市场监督管理局2016年政务信息公开年度报告", 2016),
        ("平潭综合实验区2022年度政府信息公开工作年度报告（全文）", 2022),
        ("关于做好2022年度政府信息公开工作年度报告编制工作的通知", None),
        ("2023年政务公开工作要点", None),
        ("北京市文化局政府信息公开年度报告", None),
    ],
)
def test_report_titles(title, year):
    assert report_year(title) == year
    assert is_report_title(title) is (year is not None)


# ---- encodings
def test_encoding_choice():
    text = "<html><head><title>平潭综合实验区2022年度报告 镕堃</title></head><body>政府信息公开</body></html>"
    gbk = text.encode("gb18030")
    assert choose_encoding(gbk, "text/html") == ("gb18030", "sniffed")
    assert choose_encoding(text.encode("utf-8"), None) == ("utf-8", "sniffed")
    declared = b'<meta http-equiv="Content-Type" content="text/html; charset=gb2312">' + gbk
    assert choose_encoding(declared, None) == ("gb18030", "meta")
    assert choose_encoding(gbk, "text/html; charset=GBK") == ("gb18030", "header")
    # a page that claims ISO-8859-1 but carries GB bytes is sniffed, not read as cp1252
    assert choose_encoding(gbk, "text/html; charset=ISO-8859-1")[0] == "gb18030"
    assert choose_encoding(b"\xef\xbb\xbf" + text.encode(), None) == ("utf-8", "bom")


# ---- discovery
@pytest.mark.parametrize(
    "url,text,what",
    [
        ("https://a/zwgk/zfxxgk/zfxxgknb/", "政府信息公开年报", "column"),
        ("https://a/zwgk/zfxxgk/zfxxgknb/nlist.htm", "", "column"),
        ("https://a/col/col123/index.html", "年度报告", "column"),
        ("https://a/x/", "统计年报", None),
        ("https://a/zfxxgknb/202302/t1.htm", "2023年工作要点", None),
        ("https://a/zfxxgknb/202302/t1.htm", "XX区2022年政府信息公开工作年度报告", "report"),
        ("https://a/zwgk/zfxxgk/", "政府信息公开", "hub"),
        ("https://a/xxgk/index.html", "", "hub"),
        ("https://a/zwgk/zfxxgk/zfxxgksq/", "政府信息公开申请", None),
    ],
)
def test_link_classes(url, text, what):
    assert discovery.classify(Link(url, text)) == what


# ---- families on real pages
def test_real_pingtan_list_page_is_fjdzapp_with_static_second_page():
    url = "https://www.pingtan.gov.cn/zwgk/zfxxgk/zfxxgknb/index.htm"
    page = Page.from_text(url, _real("pingtan_list_index.html"))
    fam = detect(page)
    assert fam.name == "fjdzapp"
    res = fam.list_page(page)
    reports = [l for l in res.articles if discovery.classify(l) == "report"]
    assert sorted({report_year(l.label) for l in reports}) == list(range(2016, 2026))
    assert reports[0].url == "https://www.pingtan.gov.cn/zwgk/zfxxgk/zfxxgknb/202603/t20260313_105587.htm"
    assert [m.url for m in res.more] == ["https://www.pingtan.gov.cn/zwgk/zfxxgk/zfxxgknb/index_1.htm"]
    assert res.unreachable_pages == 0


def test_real_pingtan_article_meta_and_table():
    page = Page.from_text(
        "https://www.pingtan.gov.cn/zwgk/zfxxgk/zfxxgknb/202302/t20230220_80629.htm", _real("pingtan_80629.html")
    )
    meta = meta_tags(page.sel)
    assert meta["ArticleTitle"] == "平潭综合实验区2022年度政府信息公开工作年度报告"
    assert meta["PubDate"] == "2023-02-20 15:07" and meta["SiteIDCode"] == "3590000001"
    assert meta["ColumnName"] == "政府信息公开年报"
    assert page.sel.css("div.TRS_Editor table")
    assert detect(page).name in ("trs", "fjdzapp")


def test_trs_pagination_variants():
    assert pagination(
        'var countPage = 7//共多少页\ncreatePageHTML(countPage, 0, "index", "shtml");', "http://a/c/"
    ) == (7, "index", "shtml")
    assert pagination('createPageHTML(3, 1, "index", "html");', "http://a/c/index_1.html") == (3, "index", "html")
    assert pagination("createPageHTML('page_div',5, 1,'index','htm',48);", "http://a/c/") == (5, "index", "htm")
    assert pagination("var countPage = 4;", "http://a/c/index.htm") == (4, "index", "htm")
    assert pagination("<p>no pager</p>", "http://a/c/") is None
    page = Page.from_text("http://a/c/index.html", 'createPageHTML(3, 0, "index", "html");')
    assert [f.url for f in family("trs").more_pages(page)] == [
        "http://a/c/index.html",
        "http://a/c/index_1.html",
        "http://a/c/index_2.html",
    ]


HANWEB = """<div id="4567"><script type="text/xml"><datastore><recordset>
<record><![CDATA[<li><a href="/art/2023/2/1/art_123_1.html" title="某县2022年政府信息公开工作年度报告">某县2022年…</a></li>]]></record>
<record><![CDATA[<li><a href="/art/2023/1/1/art_123_2.html">通知</a></li>]]></record>
</recordset></datastore></script></div>
<script>$('#4567').jpage({ dataStore: dataStore, perPage: 2, totalRecord: 9, proxyUrl: '/module/web/jpage/dataproxy.jsp',
 groupSize: 2, ajaxParam: { col: 1, webid: 3, path: '/', columnid: 123, unitid: '4567', webname: '某县' } });</script>"""


def test_hanweb_records_and_dataproxy_requests():
    page = Page.from_text("http://h.gov.cn/col/col123/index.html", HANWEB)
    assert detect(page).name == "hanweb"
    recs = records(HANWEB, page.url)
    assert [r.url for r in recs] == [
        "http://h.gov.cn/art/2023/2/1/art_123_1.html",
        "http://h.gov.cn/art/2023/1/1/art_123_2.html",
    ]
    assert recs[0].label == "某县2022年政府信息公开工作年度报告"
    cfg = jpage_config(HANWEB)
    assert cfg["params"]["columnid"] == "123" and cfg["params"]["webname"] == "某县"
    more = family("hanweb").list_page(page).more
    assert [m.url.split("?", 1)[1] for m in more] == [
        "startrecord=3&endrecord=6&perpage=2",
        "startrecord=7&endrecord=9&perpage=2",
    ]
    assert all(m.method == "POST" and ("unitid", "4567") in m.formdata for m in more)
    # unknown total: one group at a time until a short chunk comes back
    assert len(chunk_fetches(page.url, cfg, 2, None)) == 1


def test_gkmlpt_config_categories_and_api():
    text = (
        "<script>window._CONFIG = { SID: '755', LEVEL: 3 };</script>"
        '<a href="#1">机构概况</a><a href="#2571">政府信息公开年报</a>'
    )
    page = Page.from_text("http://g.gov.cn/gkmlpt/index", text)
    fam = detect(page)
    assert fam.name == "gkmlpt"
    (first,) = fam.list_page(page).more
    assert first.url == "http://g.gov.cn/gkmlpt/api/all/2571?page=1&sid=755" and first.payload == "gkmlpt_json"
    payload = json.dumps(
        {
            "articles": [
                {
                    "title": "某区2022年政府信息公开工作年度报告",
                    "url": "http://g.gov.cn/gkmlpt/content/2/2571/post_1.html#2571",
                }
            ],
            "total": 7,
            "page_size": 3,
        }
    )
    res = fam.payload("gkmlpt_json", first.url, payload)
    assert res.articles[0].url == "http://g.gov.cn/gkmlpt/content/2/2571/post_1.html"
    assert [m.url for m in res.more] == [
        "http://g.gov.cn/gkmlpt/api/all/2571?page=2&sid=755",
        "http://g.gov.cn/gkmlpt/api/all/2571?page=3&sid=755",
    ]
    with pytest.raises(ValueError, match="did not return JSON"):
        fam.payload("gkmlpt_json", first.url, "<html>blocked</html>")


def test_generic_next_page_links():
    text = '<a href="list?page=2">下一页</a><a href="list?page=5">尾页</a><a href="/news?page=2">新闻</a><a href="/other">2</a>'
    more = family("generic").more_pages(Page.from_text("http://a.gov.cn/nb/list?page=1", text))
    assert [m.url for m in more] == ["http://a.gov.cn/nb/list?page=2", "http://a.gov.cn/nb/list?page=5"]


# ---- pages, outcomes, attachments
def test_links_honour_base_href():
    from crawler.htmlmeta import links

    page = Page.from_text(
        "http://a/x/y.html",
        '<head><base href="http://a/col/"></head><a href="t1.html">r</a>'
        '<a href="javascript:void(0)">j</a><a href="#top">t</a>',
    )
    assert [l.url for l in links(page.sel, page.url)] == ["http://a/col/t1.html"]


def test_refresh_to_parent():
    page = Page.from_text("http://a/c/2020/t1.html", '<meta http-equiv="Refresh" content="0; URL=../">')
    target = refresh_target(page.sel, page.url, 100)
    assert target == "http://a/c/" and is_ancestor(page.url, target)
    assert not is_ancestor("http://a/c/index.html", "http://a/c/")  # a column refreshing to itself
    assert (
        refresh_target(Page.from_text("http://a/x", "<script>location.href='/';</script>").sel, "http://a/x", 60)
        == "http://a/"
    )


@pytest.mark.parametrize(
    "status,headers,body,want",
    [
        (412, {}, b"<script>$_ts=window['$_ts'];</script>", "Ruishu"),
        (521, {"set-cookie": "__jsluid=1"}, b"<script>document.cookie=('__jsl_clearance_s=1')</script>", "Jiasule"),
        (412, {"server": "EdgeOne"}, b"<html>wait</html>", "EdgeOne"),
        (412, {"set-cookie": "a=1"}, b"<html>enable cookies</html>", "plain Set-Cookie"),
    ],
)
def test_challenges(status, headers, body, want):
    out = outcomes.challenge(status, headers, body)
    assert out.outcome == "blocked" and want in out.reason
    assert out.retry_once is (want == "plain Set-Cookie")


def test_plain_statuses_and_exceptions():
    assert outcomes.challenge(200, {}, b"$_ts=1") is None
    assert outcomes.for_status(404) == outcomes.Outcome("error", "HTTP 404")
    assert outcomes.for_status(410).outcome == "gone"
    assert outcomes.for_exception(TimeoutError("took longer than 2.0 seconds"), 2).reason.startswith("timeout")


def test_attachment_links_and_names():
    assert is_attachment(Link("http://a/P020230220.pdf", "年报"))
    assert is_attachment(Link("http://a/module/download/downfile.jsp?classid=0&filename=abc.pdf", "附件"))
    assert is_attachment(Link("http://a/download.jsp?id=3", "x"))
    assert is_attachment(Link("http://a/getfile?id=3", "2022年报.docx"))
    assert not is_attachment(Link("http://a/t2023_1.html", "2022年政府信息公开工作年度报告"))
    assert disposition_filename("attachment; filename*=UTF-8''2022%E5%B9%B4%E6%8A%A5.pdf") == "2022年报.pdf"
    gbk = "年报.doc".encode("gbk")
    assert disposition_filename("attachment; filename=" + "".join(f"%{b:02X}" for b in gbk)) == "年报.doc"
    assert disposition_filename('attachment; filename="report.wps"') == "report.wps"
    assert filename_for("http://a/down.jsp?filename=x1.pdf", None, "点击下载") == "x1.pdf"
    assert filename_for("http://a/P0123.pdf", None, "2022年报.pdf") == "2022年报.pdf"


# ---- store and validators
def test_store_is_content_addressed_and_writes_once(tmp_path):
    store = ContentStore(tmp_path)
    a = store.put(b"%PDF-1.4 hello")
    b = store.put(b"%PDF-1.4 hello")
    assert a.created and not b.created and a.sha256 == b.sha256
    assert a.store_path == f"store/{a.sha256[:2]}/{a.sha256[2:4]}/{a.sha256}"
    assert (tmp_path / a.store_path).read_bytes() == b"%PDF-1.4 hello"
    assert len([p for p in tmp_path.rglob("*") if p.is_file()]) == 1


def test_validators_come_from_earlier_runs_with_stored_bytes(tmp_path):
    store = ContentStore(tmp_path)
    blob = store.put(b"body")
    run = tmp_path / "runs" / "r1" / "s"
    run.mkdir(parents=True)
    recs = [
        {
            "url": "http://a/1",
            "outcome": "ok",
            "sha256": blob.sha256,
            "etag": '"e1"',
            "method": "GET",
            "fetched_at": "2026-01-01T00:00:00Z",
        },
        {
            "url": "http://a/2",
            "outcome": "ok",
            "sha256": "0" * 64,
            "etag": '"e2"',
            "method": "GET",
            "fetched_at": "2026-01-01T00:00:00Z",
        },
        {"url": "http://a/3", "outcome": "error", "sha256": None, "etag": None},
    ]
    (run / "fetches.jsonl").write_text("\n".join(json.dumps(r) for r in recs) + "\n{torn", encoding="utf-8")
    v = load_validators(tmp_path, "s", exclude_run="r2")
    assert list(v) == ["http://a/1"] and v["http://a/1"].etag == '"e1"'
    assert load_validators(tmp_path, "s", exclude_run="r1") == {}


def test_the_user_agent_names_the_project_url_of_the_environment(monkeypatch):
    import importlib

    import crawler.settings as settings

    monkeypatch.setenv("GONGKAI_PROJECT_URL", "https://example.org/our-fork")
    try:
        assert "(+https://example.org/our-fork;" in importlib.reload(settings).USER_AGENT
    finally:
        monkeypatch.delenv("GONGKAI_PROJECT_URL")
        importlib.reload(settings)
    assert "(+https://github.com/gongkai-project/gongkai;" in settings.USER_AGENT
