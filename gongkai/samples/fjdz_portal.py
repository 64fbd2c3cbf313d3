"""A Fujian (数字福建 fjdzapp) column longer than its static pages: ``index.htm`` and
``index_1.htm`` are static (``maxStaticIndex: 1``), every later page only comes from the site's
search API ``POST /fjdzapp/search`` (fields ``channelid`` = ``SiteInfo.searchId``, ``classsql``,
``sortfield``, ``page``, ``prepage``), answered in the shape of a real saved response
(``{error, page, prepage, pageCount, recordCount, data: [{doctitle, docpuburl, chnldocurl, docreltime, …}]}``).
The column is a sub-column with a slug no recogniser knows (``/zwgk/zfxxgk/bmnb/``, 部门年报)."""

from __future__ import annotations

import json
import math
from pathlib import Path

from . import server as srv
from .portal import SampleArticle, SampleSite, _e, _write

SEARCH_ID, CHANNEL = 200210, 1813


def _page_script(prepage: int, records: int, max_static: int) -> str:
    return f"""<script>
var SiteInfo = {{
    itpSiteId: 21,    //互动站点ID
    searchId: {SEARCH_ID}, //默认的文档检索频道的ID
    defaultPgTemp: "pgBar_pt.html"
}};
</script>
<script>
require(["list2.trsapi", "tools"], function(listModel, tools) {{
    listModel({{
        quickMode: "动静结合",
        maxStaticIndex: {max_static},
        listArgs: {{
            channelid: SiteInfo.searchId,
            classsql: "" || "chnlid={CHANNEL}",
            sortfield: "-docorderpri,-docreltime"
        }},
        pagebar: {{
            prepage: {prepage},
            recordCount: '{records}',
            pgTemp: "pgBar_xxgk.html",
            pgCountMode: "recordCount",
            displayNum: 2
        }}
    }});
}});
</script>"""


def build_fjdz_column(
    root: str | Path,
    articles: list[SampleArticle],
    *,
    prepage: int = 10,
    max_static: int = 1,
    column: str = "/zwgk/zfxxgk/bmnb/",
    column_name: str = "部门年报",
) -> SampleSite:
    root = Path(root)
    pages = {}
    for i, a in enumerate(articles):
        ym, ymd = a.pub_date[:7].replace("-", ""), a.pub_date.replace("-", "")
        pages[a.title] = f"{column}{ym}/t{ymd}_{3001 + i}.htm"
    ordered = sorted(articles, key=lambda a: a.pub_date, reverse=True)
    n_pages = max(1, math.ceil(len(ordered) / prepage))
    for p in range(min(n_pages, max_static + 1)):
        chunk = ordered[p * prepage : (p + 1) * prepage]
        lis = "\n".join(
            f'<li><a href="{_e(pages[a.title])}" title="{_e(a.title)}">{_e(a.title)}</a><span>{a.pub_date}</span></li>'
            for a in chunk
        )
        _write(
            root / column.lstrip("/") / ("index.htm" if p == 0 else f"index_{p}.htm"),
            f"""<!DOCTYPE html>
<html><head><meta charset="utf-8"><meta name="ColumnName" content="{_e(column_name)}"/>
<title>{_e(column_name)}_示例县人民政府</title></head><body>
<div class="crumb"><a href="/">首页</a> &gt; <a href="/zwgk/zfxxgk/">政府信息公开</a> &gt; {_e(column_name)}</div>
<ul class="list" id="list-data">
{lis}
</ul><div id="pagebar"></div>
{_page_script(prepage, len(ordered), max_static)}</body></html>""",
        )

    def search(req: srv.Req) -> srv.Reply:
        form = req.form
        if form.get("channelid") != str(SEARCH_ID) or form.get("classsql") != f"chnlid={CHANNEL}":
            body = {"error": True, "msg": "参数错误"}
        else:
            page, per = max(1, int(form.get("page") or 1)), max(1, int(form.get("prepage") or prepage))
            host = req.headers.get("host", "127.0.0.1")
            chunk = ordered[(page - 1) * per : page * per]
            body = {
                "error": False,
                "page": page,
                "prepage": per,
                "pageCount": math.ceil(len(ordered) / per),
                "recordCount": len(ordered),
                "data": [
                    {
                        "chnl": column_name,
                        "doctitle": a.title,
                        "docpuburl": f"http://{host}{pages[a.title]}",
                        "chnldocurl": f"http://{host}{pages[a.title]}",
                        "docreltime": f"{a.pub_date.replace('-', '.')} 09:30:00",
                        "files": [],
                        "rels": [],
                    }
                    for a in chunk
                ],
            }
        return srv.Reply(
            200,
            json.dumps(body, ensure_ascii=False).encode("utf-8"),
            (("Content-Type", "application/json;charset=UTF-8"),),
        )

    for a in articles:
        _write(
            root / pages[a.title].lstrip("/"),
            f"""<!DOCTYPE html><html><head><meta charset="utf-8">
<meta name="ArticleTitle" content="{_e(a.title)}"/><meta name="ColumnName" content="{_e(column_name)}"/>
<title>{_e(a.title)}</title></head><body><div class="TRS_Editor">{a.body_html}</div></body></html>""",
        )
    return SampleSite(
        "fjdzapp", root, column + "index.htm", column + "index.htm", {"POST /fjdzapp/search": search}, pages, {}
    )
