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
SEC_KEYS = {
    1: "sec1_overview",
    2: "sec2_active_disclosure",
    3: "sec3_applications",
    4: "sec4_review_litigation",
    5: "sec5_problems",
    6: "sec6_other",
}

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


_NUMERAL_ONLY = re.compile(r"^[一二三四五六][、.,，．]?$")  # "一、" on a line of its own, its name on the next
# a part's name inside a sentence: the enumeration of the six parts in the opening paragraph
# ("本报告由总体情况、主动公开政府信息情况、…六部分组成"), each name on its own line in text saved
# one token per line, is joined to its neighbours by these
_JOINS_BEFORE = tuple("、，,和及与或由")
_JOINS_AFTER = tuple("、，,和及与或")
# what follows a part's heading when it is the start of that part (a table header, a sub-part)
FOLLOWS = {
    2: ("第二十条", "信息内容"),
    3: ("本列数据", "申请人情况", "自然人", "本年新收"),
    4: ("行政复议", "行政诉讼", "结果维持"),
}
_WINDOW = 15  # lines after a heading searched for what follows it


def _heading_text(text: str) -> tuple[int, bool] | None:
    """(section number, numbered) of a heading text: "二、主动公开…" or a bare part name."""
    if not text or len(text) > 60:
        return None
    for n, rx in HEADINGS.items():
        if rx.match(text):
            return n, True
    bare = text.rstrip("。:：")
    for n, texts in BARE_HEADINGS.items():
        if bare in texts:
            return n, False
    return None


@dataclass(frozen=True, slots=True)
class _Candidate:
    line: int  # the heading's first line
    body: int  # the first line after it
    section: int
    score: int


def _neighbour(texts: Sequence[str], i: int, step: int) -> str:
    j = i + step
    while 0 <= j < len(texts):
        if texts[j]:
            return texts[j]
        j += step
    return ""


def _candidates(lines: Sequence[Line]) -> list[_Candidate]:
    """Every line that may be a part's heading, scored by its structure: a numbered heading (2) beats
    a bare name (1); a name inside a sentence is none; what follows it (its table's header, its
    text) adds 1."""
    texts = [squash(line.text) for line in lines]
    out: list[_Candidate] = []
    for i, text in enumerate(texts):
        got, body = _heading_text(text), i + 1
        if got is None and _NUMERAL_ONLY.match(text):
            nxt = next((j for j in range(i + 1, min(len(texts), i + 3)) if texts[j]), None)
            if nxt is not None:
                got, body = _heading_text(text + texts[nxt]), nxt + 1
                got = (got[0], True) if got and got[0] == "一二三四五六".index(text[0]) + 1 else None
        if got is None:
            continue
        sec, numbered = got
        if not numbered:
            before, after = _neighbour(texts, i, -1), _neighbour(texts, i, 1)
            if _NUMERAL_ONLY.match(before):
                continue  # the name of a numbered heading found at its numeral line
            if before.endswith(_JOINS_BEFORE) or after.startswith(_JOINS_AFTER):
                continue
        score = (2 if numbered else 1) + _follows(lines, texts, body, sec)
        out.append(_Candidate(i, body, sec, score))
    return out


def _follows(lines: Sequence[Line], texts: Sequence[str], body: int, sec: int) -> int:
    """1 when what comes after a heading is what starts its part: the table's header for 二/三/四,
    a line of text (not straight another heading, as in a table of contents) for the others."""
    window = [t for t in texts[body : body + _WINDOW] if t]
    if not window:
        return 0
    if sec in FOLLOWS:
        return int(any(m in t for t in window for m in FOLLOWS[sec]))
    first = window[0]
    return int(_heading_text(first) is None and not _NUMERAL_ONLY.match(first))


def _chain(cands: Sequence[_Candidate]) -> list[_Candidate]:
    """The headings: the chain of candidates whose section numbers rise with their lines and whose
    scores add up highest (the earliest lines on a tie). Dynamic programming over the candidates
    (a few dozen at most)."""
    best: list[tuple[tuple[int, int], int]] = []  # (score, -sum of lines), previous index
    for j, c in enumerate(cands):
        key, prev = (c.score, -c.line), -1
        for i in range(j):
            if cands[i].section < c.section and cands[i].line < c.line:
                k = (best[i][0][0] + c.score, best[i][0][1] - c.line)
                if k > key:
                    key, prev = k, i
        best.append((key, prev))
    if not best:
        return []
    j = max(range(len(best)), key=lambda x: best[x][0])
    chain = []
    while j >= 0:
        chain.append(cands[j])
        j = best[j][1]
    return chain[::-1]


def _first(
    lines: Sequence[Line], start: int, end: int, markers: tuple[str, ...], table_only: bool = False
) -> int | None:
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
    chain = _chain(_candidates(lines))
    headings: dict[int, int] = {c.section: c.line for c in chain}
    bodies: dict[int, int] = {c.section: c.body for c in chain}

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

    s2 = (
        (s2_start, s3_start if s3_start is not None and s3_start > s2_start else min(n, s2_start + 80))
        if s2_start is not None
        else None
    )
    s3 = None
    if s3_start is not None:
        s3 = (s3_start, s4_start if s4_start is not None and s4_start > s3_start else n)
    s4 = (s4_start, _s4_end(headings, s4_start, n)) if s4_start is not None else None

    texts: dict[str, str] = {}
    order = sorted(headings.items(), key=lambda kv: kv[1])
    for pos, (sec, start) in enumerate(order):
        stop = order[pos + 1][1] if pos + 1 < len(order) else n
        if sec in (1, 5, 6):
            texts[SEC_KEYS[sec]] = _prose(lines[bodies[sec] : stop])
    return Regions(headings, s2, s3, s4, texts)


def _s4_end(headings: dict[int, int], start: int, n: int) -> int:
    """Where the 四 table ends: at the 五 heading after it, else at the next later heading, else 80
    lines on (or the document's end)."""
    s5_start = headings.get(5)
    if s5_start is not None and s5_start > start:
        return s5_start
    nxt = [v for k, v in headings.items() if k > 4 and v > start]
    return min(nxt) if nxt else min(n, start + 80)


def _prose(lines: Sequence[Line]) -> str:
    out = []
    for line in lines:
        if line.table is not None:
            continue
        text = clean_line(" ".join(c.text for c in line.cells))
        if text:
            out.append(text)
    return "\n".join(out)
