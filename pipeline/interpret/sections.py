"""Where the six sections and the three tables of a report are, by headings and table markers."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Sequence

from ..layout import Line
from ..normalize import clean_line, squash

HEADINGS = {
    1: re.compile(r"^一[、.,，．]?(总体情况|概述|概况|主要工作|基本情况|基本工作情况|工作概述|总体)"),
    2: re.compile(r"^二[、.,，．]?(主动公开|政府信息主动公开)"),
    3: re.compile(r"^三[、.,，．]?(收到和处理|收到|依申请|处理政府信息公开申请)"),
    4: re.compile(r"^四[、.,，．]?.{0,14}(行政复议|行政诉讼)"),
    5: re.compile(r"^五[、.,，．]?.{0,14}(存在的?主要问题|存在问题|主要问题|问题及改进|问题和改进)"),
    6: re.compile(r"^六[、.,，．]?(其他需要报告|其它需要报告|其他事项|其他需报告)"),
}
# the headings as Word prints them when their numbers are automatic list numbering (lost in conversion)
BARE_HEADINGS = {
    1: ("总体情况", "概述"),
    2: ("主动公开政府信息情况",),
    3: ("收到和处理政府信息公开申请情况",),
    4: ("政府信息公开行政复议、行政诉讼情况", "政府信息公开行政复议和行政诉讼情况"),
    5: ("存在的主要问题及改进情况", "政府信息公开工作存在的主要问题及改进情况", "存在问题及改进情况"),
    6: ("其他需要报告的事项",),
}
SEC_KEYS = {1: "sec1_overview", 2: "sec2_active_disclosure", 3: "sec3_applications",
            4: "sec4_review_litigation", 5: "sec5_problems", 6: "sec6_other"}

S2_MARKERS = ("第二十条",)
S3_MARKERS = ("勾稽关系", "本列数据", "申请人情况", "本年新收")
S4_MARKERS = ("行政复议",)


@dataclass(frozen=True, slots=True)
class Regions:
    headings: dict[int, int]  # section number → line index of its heading
    s2: tuple[int, int] | None
    s3: tuple[int, int] | None
    s4: tuple[int, int] | None
    texts: dict[str, str]


def _heading(line: Line) -> int | None:
    text = squash(line.text)
    if not text or len(text) > 60:
        return None
    for n, rx in HEADINGS.items():
        if rx.match(text):
            return n
    bare = text.rstrip("。:：")
    for n, texts in BARE_HEADINGS.items():
        if bare in texts:
            return n
    return None


def _first(lines: Sequence[Line], start: int, end: int, markers: tuple[str, ...],
           table_only: bool = False) -> int | None:
    for i in range(start, end):
        line = lines[i]
        if table_only and line.table is None and len(line.cells) < 2:
            continue
        text = squash(line.text)
        if any(m in text for m in markers):
            return i
    return None


def find(lines: Sequence[Line]) -> Regions:
    n = len(lines)
    headings: dict[int, int] = {}
    for i, line in enumerate(lines):
        h = _heading(line)
        if h is not None and h > max(headings, default=0):
            headings[h] = i

    s3_start = headings.get(3)
    if s3_start is None:
        s3_start = _first(lines, 0, n, S3_MARKERS, table_only=True)
        if s3_start is None:
            s3_start = _first(lines, 0, n, ("本年新收",))
    s2_start = headings.get(2)
    if s2_start is None:
        s2_start = _first(lines, 0, s3_start if s3_start is not None else n, S2_MARKERS)
    s4_start = headings.get(4)
    if s4_start is None or (s3_start is not None and s4_start < s3_start):
        base = s3_start if s3_start is not None else 0
        # the 四 table starts after the 结转下年度 row of 三
        after = _first(lines, base, n, ("结转下年度",))
        s4_start = _first(lines, (after + 1) if after is not None else base, n, S4_MARKERS)
    s5_start = headings.get(5)
    end4 = s5_start if s5_start is not None and s4_start is not None and s5_start > s4_start else None
    if end4 is None and s4_start is not None:
        end4 = min(n, s4_start + 80)
        nxt = [v for k, v in headings.items() if k > 4 and v > s4_start]
        if nxt:
            end4 = min(nxt)

    s2 = (s2_start, s3_start if s3_start is not None and s3_start > s2_start else min(n, s2_start + 80)) \
        if s2_start is not None else None
    s3 = None
    if s3_start is not None:
        s3 = (s3_start, s4_start if s4_start is not None and s4_start > s3_start else n)
    s4 = (s4_start, end4) if s4_start is not None else None

    texts: dict[str, str] = {}
    order = sorted(headings.items(), key=lambda kv: kv[1])
    for pos, (sec, start) in enumerate(order):
        stop = order[pos + 1][1] if pos + 1 < len(order) else n
        if sec in (1, 5, 6):
            texts[SEC_KEYS[sec]] = _prose(lines[start + 1: stop])
    return Regions(headings, s2, s3, s4, texts)


def _prose(lines: Sequence[Line]) -> str:
    out = []
    for line in lines:
        if line.table is not None:
            continue
        text = clean_line(" ".join(c.text for c in line.cells))
        if text:
            out.append(text)
    return "\n".join(out)
