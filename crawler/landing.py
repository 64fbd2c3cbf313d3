"""Does an article page hold the report itself, or is it a landing page for its attachments?

Counting table cells is not enough: Hanweb and many other templates lay the article head out in
tables. A page holds the report when its text names at least two parts every report of either
template has (主动公开, 依申请/收到和处理…申请, 行政复议, 行政诉讼), or when it holds a large table."""

from __future__ import annotations

import re

from parsel import Selector

_PARTS = (
    re.compile(r"主动公开"),
    re.compile(r"依申请|收到和处理.{0,6}申请"),
    re.compile(r"行政复议"),
    re.compile(r"行政诉讼"),
)
BIG_TABLE_CELLS = 40


def page_text(sel: Selector) -> str:
    return "".join(sel.xpath("//body//text()[not(ancestor::script) and not(ancestor::style)]").getall())


def holds_report(sel: Selector) -> bool:
    text = page_text(sel)
    parts = sum(1 for rx in _PARTS if rx.search(text))
    return parts >= 2 or len(sel.xpath("//table//td")) >= BIG_TABLE_CELLS
