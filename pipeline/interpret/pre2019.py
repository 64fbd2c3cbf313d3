"""Pre-2019 reports (2008–2018): figures of their ad-hoc statistics tables (template_spec.md §7).

The tables have no national layout (莆田 2009, 定西, the 2014–2018 统计表 …): rows are matched by
label keywords, the value is taken from the report year's column (not 历年累计)."""

from __future__ import annotations

import re
from typing import Sequence

from ..layout import Line
from ..normalize import parse_number, squash
from ..record import Figure

# most specific first: "同意部分公开答复数" must not be read as 同意公开
ROWS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("pre2019_active_by_website", ("网站公开",)),
    ("pre2019_active_by_gazette", ("公报公开",)),
    (
        "pre2019_active_disclosed_total",
        ("主动公开信息数", "主动公开文件数", "主动公开政府信息数", "主动公开政府信息总数", "主动公开信息总数"),
    ),
    ("pre2019_applications_by_channel.in_person", ("当面申请",)),
    ("pre2019_applications_by_channel.letter_fax", ("信函、传真", "信函,传真", "信函传真")),
    ("pre2019_applications_by_channel.fax", ("传真申请",)),
    ("pre2019_applications_by_channel.email", ("电子邮件申请", "邮件申请")),
    ("pre2019_applications_by_channel.online", ("网上申请", "网络申请")),
    ("pre2019_applications_by_channel.letter", ("信函申请",)),
    ("pre2019_applications_by_channel.other", ("其它形式申请", "其他形式申请")),
    ("pre2019_applications_received", ("依申请公开信息总数", "申请总数", "受理申请", "收到申请")),
    ("pre2019_replies_partial", ("部分公开答复",)),
    ("pre2019_replies_granted", ("同意公开答复",)),
    ("pre2019_replies_denied", ("否决公开答复", "不予公开答复")),
    ("pre2019_replies_other", ("其他类型答复", "其它类型答复", "其他答复")),
    ("pre2019_replies_total", ("答复总数",)),
    ("pre2019_complaints", ("申诉", "举报")),
    ("pre2019_review_cases", ("行政复议",)),
    ("pre2019_litigation_cases", ("行政诉讼",)),
    ("pre2019_fees_collected_yuan", ("收取费用", "收费金额", "收费")),
    ("pre2019_consultations", ("咨询",)),
)
_CUMULATIVE = ("历年累计", "累计", "合计")


def _key(label: str) -> str | None:
    for key, words in ROWS:
        if any(w in label for w in words):
            return key
    return None


def _value_col(header: Sequence[str], year: int | None) -> int | None:
    for i, text in enumerate(header):
        if year is not None and str(year) in text and not any(c in text for c in _CUMULATIVE):
            return i
    for i, text in enumerate(header):
        if ("本年" in text or "年度" in text) and not any(c in text for c in _CUMULATIVE):
            return i
    return None


def table_figures(lines: Sequence[Line], year: int | None) -> dict[str, Figure]:
    out: dict[str, Figure] = {}
    tables: dict[int, list[Line]] = {}
    for line in lines:
        if line.table is not None:
            tables.setdefault(line.table, []).append(line)
    for rows in tables.values():
        text = squash(" ".join(r.text for r in rows))
        if not ("公开" in text and ("申请" in text or "复议" in text)):
            continue
        col = None
        for row in rows:
            cells = [squash(c.text) for c in row.cells]
            if col is None and any(("年度" in c or "累计" in c or "计量单位" in c) for c in cells):
                col = _value_col(cells, year)
                continue
            if not cells:
                continue
            label = cells[0]
            key = _key(label)
            if key is None or key in out:
                continue
            candidates = [
                (i, c, num) for i, c in enumerate(row.cells) if i > 0 and (num := parse_number(c.text)) is not None
            ]
            pick = (
                next(((c, num) for i, c, num in candidates if i == col), None)
                if col is not None
                else (candidates[0][1:] if candidates else None)
            )
            if pick is None:
                continue
            cell, num = pick
            out[key] = Figure(num.value, f"{row.cells[0].text.strip()}: {cell.text.strip()}", False)
    return out


_SUBTOTAL = re.compile(r"其中")
