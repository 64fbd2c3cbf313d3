"""gkmlpt: the SID, the app prefix and the category tree read from a page."""

from __future__ import annotations

import json

from crawler.families import Page, family
from crawler.families.gkmlpt_config import app_prefix, config_tree, report_categories, site_id

NESTED = [
    {"id": 1, "name": "机构职能", "children": []},
    {
        "id": 10,
        "name": "其他",
        "children": [
            {
                "id": 2629,
                "name": "政府信息公开年报",
                "parent": 10,
                "children": [{"id": 2630, "name": "2023年度", "parent": 2629}],
            }
        ],
    },
    {"id": 11, "name": "统计年报", "children": []},
]


def test_app_prefix_keeps_the_site_path():
    assert app_prefix("https://www.zhaoqing.gov.cn/zqhjj/gkmlpt/index#21023") == "https://www.zhaoqing.gov.cn/zqhjj"
    assert app_prefix("http://whly.gd.gov.cn/gkmlpt/annualreport") == "http://whly.gd.gov.cn"


def test_tree_in_config_found_by_name_with_sub_categories():
    text = f"<script>window._CONFIG = {{SID: '175', TREE: {json.dumps(NESTED, ensure_ascii=False)}}};</script>"
    assert site_id(text) == "175"
    assert report_categories(config_tree(text)) == ["2629", "2630"]  # 统计年报 is not the column


def test_flat_tree_by_parent_and_no_tree():
    flat = [
        {"id": 5, "name": "年度报告", "parent": 0},
        {"id": 6, "name": "2022年", "parent": 5},
        {"id": 7, "name": "政策", "parent": 0},
    ]
    assert report_categories({"data": flat}) == ["5", "6"]
    assert config_tree("<script>window._CONFIG = {SID: '1'};</script>") is None
    assert config_tree("<script>var x = {SUBTREE: [1]}; window._CONFIG = {SID: '1'}</script>") is None


def test_start_fragment_names_the_category_and_no_tree_asks_the_tree_api():
    fam = family("gkmlpt")
    app = "<script>window._CONFIG = { SID: '175' };</script>"
    res = fam.list_page(Page.from_text("http://h/gd/gkmlpt/annualreport#2629", app))
    assert [m.url for m in res.more] == ["http://h/gd/gkmlpt/api/all/2629?page=1&sid=175"]
    res = fam.list_page(Page.from_text("http://h/gkmlpt/index", app))
    (tree,) = res.more
    assert tree.url == "http://h/gkmlpt/api/tree?sid=175" and tree.payload == "gkmlpt_tree"
    assert tree.fallback.url == "http://h/gkmlpt/api/all/0?page=1&sid=175"
    got = fam.payload("gkmlpt_tree", tree.url, json.dumps({"data": [{"id": 9, "name": "统计"}]}))
    assert [m.url for m in got.more] == ["http://h/gkmlpt/api/all/0?page=1&sid=175"]  # no 年报 category
