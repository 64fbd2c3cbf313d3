"""Title, issuing agency, report year and statistics period (template_spec.md §2, §10.1)."""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Sequence

from ..layout import Line
from ..normalize import clean_line, squash

_KIND = r"(?:政府信息公开|政务信息公开|政务公开|信息公开)"
TITLE_ORG_FIRST = re.compile(
    rf"^(?P<org>.+?)(?P<year>(?:19|20)\d{{2}})年度?{_KIND}(?:工作)?(?:的)?(?:年度)?(?:工作)?(?:报告|年报)$")
TITLE_YEAR_FIRST = re.compile(
    rf"^(?P<year>(?:19|20)\d{{2}})年度?(?P<org>.+?){_KIND}(?:工作)?(?:的)?(?:年度)?(?:工作)?(?:报告|年报)$")
TITLE_YEAR_AFTER = re.compile(
    rf"^(?P<org>.+?){_KIND}(?:工作)?(?P<year>(?:19|20)\d{{2}})年度?(?:工作)?(?:报告|年报)$")
TITLE_YEAR_PAREN = re.compile(
    rf"^(?P<org>.+?){_KIND}(?:工作)?(?:的)?(?:年度)?(?:工作)?(?:报告|年报)\((?P<year>(?:19|20)\d{{2}})年?度?\)$")
TITLE_NO_YEAR = re.compile(rf"^(?P<org>.+?){_KIND}(?:工作)?(?:的)?年度(?:工作)?报告$")
_TRAILER = re.compile(r"[(（\[【](?:全文|正文|文字版|修订版|更正版|更新|附表|图文版|简版|PDF版|word版)[)）\]】]$", re.I)
_NOT_IN_ORG = re.compile(r"[,，。;；:：《》“”!！?？]")
_CN_DIGITS = str.maketrans("〇零○Ｏ一二三四五六七八九", "0000123456789")
_CN_YEAR = re.compile(r"[〇零○Ｏ一二三四五六七八九]{4}(?=年)")
STAT_PERIOD = re.compile(r"统计(?:期限|时限|时间|区间|周期)?(?:为|是|自|从)?[:：]?(?P<y>(?:19|20)\d{2})年1月1日")
_SITE_SUFFIX = re.compile(r"[_|｜\-—].*$")
_NOISE_PREFIX = re.compile(r"^(?:关于|附件\d*[:：]?)")
_YEAR_RE = re.compile(r"((?:19|20)\d{2})年")


# sentences that name the agency when a document has lost its title line
BODY_ORG = (
    re.compile(rf"(?:现将|现公布|现发布|特发布|现予公布|发布|公布)(?P<org>[^,，。;；:：《》“”]{{2,30}}?)"
               rf"(?P<year>(?:19|20)\d{{2}})年度?{_KIND}(?:工作)?(?:年度)?报告"),
    re.compile(r"本报告由(?P<org>[^,，。;；:：《》“”]{2,30}?)(?:根据|依据|按照|编制|负责)"),
)


@dataclass(frozen=True, slots=True)
class Meta:
    title: str | None
    org_name: str | None
    report_year: int | None
    stat_period: str | None
    year_source: str | None


def _match_title(text: str):
    text = squash(text)
    text = _NOISE_PREFIX.sub("", text)
    text = _CN_YEAR.sub(lambda m: m.group(0).translate(_CN_DIGITS), text)
    text = _TRAILER.sub("", text)
    for rx in (TITLE_ORG_FIRST, TITLE_YEAR_FIRST, TITLE_YEAR_AFTER, TITLE_YEAR_PAREN):
        m = rx.match(text)
        if m and len(m.group("org")) <= 60 and not _NOT_IN_ORG.search(m.group("org")):
            return text, m.group("org"), int(m.group("year"))
    m = TITLE_NO_YEAR.match(text)
    if m and len(m.group("org")) <= 60 and not _NOT_IN_ORG.search(m.group("org")):
        return text, m.group("org"), None
    return None


def find_title(lines: Sequence[Line], hints: Sequence[str] = ()):
    """The title line(s): within the first lines of the document (a title may span two lines, may
    carry markdown or Word artefacts), else the page's title hint."""
    texts = []
    for line in lines[:60]:
        if line.table is not None:
            continue
        t = clean_line(line.text)
        if t:
            texts.append(t)
        if len(texts) >= 14:
            break
    for i, t in enumerate(texts):
        if len(squash(t)) > 70:
            continue
        got = _match_title(t)
        if got:
            return got
        if i + 1 < len(texts):
            got = _match_title(t + texts[i + 1])
            if got:
                return got
    for hint in hints:
        if not hint:
            continue
        got = _match_title(_SITE_SUFFIX.sub("", clean_line(hint)))
        if got:
            return got
    return None


def extract(lines: Sequence[Line], hints: Sequence[str] = ()) -> Meta:
    title = org = None
    year = None
    source = None
    got = find_title(lines, hints)
    if got:
        title, org, year = got
        if year is not None:
            source = "title"
    body = squash(" ".join(line.text for line in lines[:400]))
    if org is None:
        for rx in BODY_ORG:
            m = rx.search(body)
            if m:
                org = m.group("org")
                if year is None and "year" in m.groupdict() and m.group("year"):
                    year, source = int(m.group("year")), "body sentence"
                break
    period = STAT_PERIOD.search(body)
    stat_period = None
    if period:
        stat_period = period.group(0)
        if year is None:
            year, source = int(period.group("y")), "stat_period"
    if year is None:
        years = Counter(int(y) for y in _YEAR_RE.findall(body) if 2000 <= int(y) <= 2100)
        if years:
            year, source = years.most_common(1)[0][0], "body"
    if org:
        org = org.strip("《》「」“”\"' ")
    return Meta(title, org or None, year, stat_period, source)
