"""A Guangdong gkmlpt portal in each entry shape real sites have (issue 19):

- ``fragment``: the operator's start URL names the category, ``/gkmlpt/annualreport#2629``; the
  page itself is the bare JavaScript app (``window._CONFIG`` with the SID, no links);
- ``index_fragment``: the same with ``/gkmlpt/index#2629``;
- ``config_tree``: ``/gkmlpt/index`` whose ``window._CONFIG`` holds the category tree (the 年报
  category nested under another, with a 2023年度 sub-category);
- ``tree_api``: no tree on the page; the site's tree API ``/gkmlpt/api/tree?sid=`` answers it;
- ``all_only``: no tree anywhere (the tree API is a 404): only the all-articles listing
  ``/gkmlpt/api/all/0``, where the reports sit among other documents.

Every shape may live under a path prefix (``/bm/gkmlpt/…``, a department site). Listings page by
``total`` / ``page_size``."""

from __future__ import annotations

import json
import zlib
from datetime import datetime, timezone
from pathlib import Path

from . import server as srv
from .portal import SampleArticle, SampleSite, _e, _write

SHAPES = ("fragment", "index_fragment", "config_tree", "tree_api", "all_only")
REPORT_CAT, YEAR_CAT, OTHER_CAT = 2629, 2630, 1800


def _tree(flat: bool) -> list:
    nodes = [
        {"id": 1, "name": "机构职能", "parent": 0},
        {"id": 10, "name": "其他法定公开内容", "parent": 0},
        {"id": OTHER_CAT, "name": "政策文件", "parent": 0},
        {"id": REPORT_CAT, "name": "政府信息公开年报", "parent": 10},
        {"id": YEAR_CAT, "name": "2023年度", "parent": REPORT_CAT},
    ]
    if flat:
        return nodes
    by_id = {n["id"]: {**n, "children": []} for n in nodes}
    roots = []
    for n in by_id.values():
        (by_id[n["parent"]]["children"] if n["parent"] else roots).append(n)
    return roots


def _app(site_name: str, sid: str, tree: list | None) -> str:
    extra = f", TREE: {json.dumps(tree, ensure_ascii=False)}" if tree is not None else ""
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>政府信息公开_{_e(site_name)}</title>
<script>window._CONFIG = {{ SID: '{sid}', SITE_NAME: '{_e(site_name)}', LEVEL: 3{extra} }};</script>
</head><body><div id="app"></div><script src="/gkmlpt/static/js/app.js"></script></body></html>"""


def build_gkmlpt_shape(
    root: str | Path,
    shape: str,
    reports: list[SampleArticle],
    others: list[SampleArticle],
    *,
    prefix: str = "",
    sid: str = "175",
    per_page: int = 3,
    site_name: str = "示例区人民政府",
) -> SampleSite:
    """Reports in the 年报 category (the 2023 one in its 2023年度 sub-category), ``others`` in 政策文件."""
    if shape not in SHAPES:
        raise ValueError(f"unknown gkmlpt shape {shape!r}; one of {', '.join(SHAPES)}")
    root, app = Path(root), f"{prefix}/gkmlpt"
    pages: dict[str, str] = {}
    cat_of: dict[str, int] = {}
    for i, a in enumerate(reports + others):
        cat = OTHER_CAT if a in others else (YEAR_CAT if "2023年" in a.title else REPORT_CAT)
        pages[a.title], cat_of[a.title] = f"{app}/content/2/{cat}/post_{6001 + i}.html", cat
    listed = {
        REPORT_CAT: [a for a in reports if cat_of[a.title] == REPORT_CAT],
        YEAR_CAT: [a for a in reports if cat_of[a.title] == YEAR_CAT],
        OTHER_CAT: list(others),
        0: sorted(reports + others, key=lambda a: a.pub_date, reverse=True),
    }
    if shape in ("fragment", "index_fragment"):  # the parent category lists its sub-category's posts too
        listed[REPORT_CAT] = listed[REPORT_CAT] + listed[YEAR_CAT]

    def api(cat: int):
        def answer(req: srv.Req):
            if req.args.get("sid") != sid:
                return {"error": "bad sid", "articles": []}
            page = max(1, int(req.args.get("page", 1)))
            host = req.headers.get("host", "127.0.0.1")
            chunk = listed[cat][(page - 1) * per_page : page * per_page]
            return {
                "classify": {"id": cat},
                "total": len(listed[cat]),
                "page_size": per_page,
                "articles": [
                    {
                        "id": zlib.crc32(a.title.encode()) % 10**7,
                        "title": a.title,
                        "url": f"http://{host}{pages[a.title]}",
                        "date": int(datetime.strptime(a.pub_date, "%Y-%m-%d").replace(tzinfo=timezone.utc).timestamp()),
                        "publisher": site_name,
                    }
                    for a in chunk
                ],
            }

        return srv.json_api(answer)

    tree = _tree(flat=False) if shape == "config_tree" else None
    page_name = "annualreport" if shape == "fragment" else "index"
    routes = {f"{app}/{page_name}": srv.text(_app(site_name, sid, tree))}
    routes.update({f"{app}/api/all/{c}": api(c) for c in listed})
    if shape == "tree_api":
        routes[f"{app}/api/tree"] = srv.json_api(lambda req: {"data": _tree(flat=True)})
    _write(
        root / "index.html",
        f"""<html><head><meta charset="utf-8"><title>{_e(site_name)}</title></head>
<body><a href="{app}/index">政府信息公开</a></body></html>""",
    )
    for a in reports + others:
        _write(
            root / pages[a.title].lstrip("/"),
            f"""<!DOCTYPE html><html><head><meta charset="utf-8">
<title>{_e(a.title)}</title></head><body><h1 class="content-title">{_e(a.title)}</h1>
<div class="article-content">{a.body_html}</div></body></html>""",
        )
    start = {"fragment": f"{app}/annualreport#{REPORT_CAT}", "index_fragment": f"{app}/index#{REPORT_CAT}"}
    start_path = start.get(shape, f"{app}/index")
    return SampleSite("gkmlpt", root, start_path, start_path.split("#")[0], routes, pages, {})
