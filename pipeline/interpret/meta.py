"""Title, issuing agency, report year and statistics period (template_spec.md §2, §10.1)."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import NamedTuple, Sequence

from ..layout import Line
from ..normalize import clean_line, squash

_KIND = r"(?:政府信息公开|政务信息公开|政务公开|信息公开)"
TITLE_ORG_FIRST = re.compile(
    rf"^(?P<org>.+?)(?P<year>(?:19|20)\d{{2}})年度?{_KIND}(?:工作)?(?:情况)?(?:的)?(?:年度)?(?:工作)?(?:报告|年报)$"
)
TITLE_YEAR_FIRST = re.compile(
    rf"^(?P<year>(?:19|20)\d{{2}})年度?(?P<org>.+?){_KIND}(?:工作)?(?:情况)?(?:的)?(?:年度)?(?:工作)?(?:报告|年报)$"
)
TITLE_YEAR_AFTER = re.compile(rf"^(?P<org>.+?){_KIND}(?:工作)?(?P<year>(?:19|20)\d{{2}})年度?(?:工作)?(?:报告|年报)$")
TITLE_YEAR_PAREN = re.compile(
    rf"^(?P<org>.+?){_KIND}(?:工作)?(?:情况)?(?:的)?(?:年度)?(?:工作)?(?:报告|年报)\((?P<year>(?:19|20)\d{{2}})年?度?\)$"
)
TITLE_NO_YEAR = re.compile(rf"^(?P<org>.+?){_KIND}(?:工作)?(?:的)?年度(?:工作)?报告$")
_TRAILER = re.compile(
    r"[(（\[【](?:全文|正文|文字版|修订版?|更正版?|修改版|更新|附表|图文版|简版|PDF版|word版"
    r"|(?:19|20)\d{2}年\d{1,2}月(?:\d{1,2}日)?)[)）\]】]$",
    re.I,
)
# punctuation, and the separators of a breadcrumb trail (首页 > 政务公开 > …), are never in a name
_NOT_IN_ORG = re.compile(r"[,，。;；:：《》“”!！?？>＞›»|｜]")
_CN_DIGITS = str.maketrans("〇零○Ｏ一二三四五六七八九", "0000123456789")
_CN_YEAR = re.compile(r"[〇零○Ｏ一二三四五六七八九]{4}(?=年)")
STAT_PERIOD = re.compile(r"统计(?:期限|时限|时间|区间|周期)?(?:为|是|自|从)?[:：]?(?P<y>(?:19|20)\d{2})年1月1日")
_SITE_SUFFIX = re.compile(r"[_|｜\-—].*$")
_FILE_EXT = re.compile(r"\.(?:pdf|docx?|wps|ofd|html?|txt)$", re.I)  # a title taken from a file name
_NOISE_PREFIX = re.compile(r"^(?:关于|附件\d*[:：]?)")
_YEAR_RE = re.compile(r"((?:19|20)\d{2})年")
# "现将我委2022年度…报告如下": the agency speaking of itself names no agency
_PRONOUN = re.compile(r"^(?:我|本|该)(?:委|局|办|厅|院|署|会|部|处|中心|单位|机关|部门|区|市|县|镇|乡|街道|省|政府)?$")


# sentences that name the agency when a document has lost its title line
BODY_ORG = (
    re.compile(
        rf"(?:现将|现公布|现发布|特发布|现予公布|发布|公布)(?P<org>[^,，。;；:：《》“”]{{2,30}}?)"
        rf"(?P<year>(?:19|20)\d{{2}})年度?{_KIND}(?:工作)?(?:年度)?报告"
    ),
    re.compile(r"本报告由(?P<org>[^,，。;；:：《》“”]{2,30}?)(?:根据|依据|按照|编制|负责)"),
)


# the header a crawler or a "save page as text" writes above the body: 标题：…, 发布机构：…, 原始链接：…
HEADER_FIELDS = (
    "标题",
    "发布时间",
    "发布日期",
    "成文日期",
    "文号",
    "发布机构",
    "发文机关",
    "索引号",
    "来源",
    "栏目",
    "原始链接",
    "链接",
    "网址",
    "本地目录",
    "正文",
)
_HEADER_LINE = re.compile(r"^\s*(?P<key>" + "|".join(HEADER_FIELDS) + r")\s*[:：]\s*(?P<value>.*?)\s*$")
_URL = re.compile(r"^https?://\S+$", re.I)
_PLACE = re.compile(r"(?:省|市|县|区|州|旗|盟)")


@dataclass(frozen=True, slots=True)
class Meta:
    title: str | None
    org_name: str | None
    report_year: int | None
    stat_period: str | None
    year_source: str | None
    meta_from: dict[str, str | None] | None = None  # field → where it was read: header:标题, title, body, title_hint, …
    header: dict[str, str] | None = None  # the saved page's header fields as printed (non-empty ones)
    document_url: str | None = None  # the page's own address, as its header gives it


def page_header(lines: Sequence[Line]) -> dict[str, str]:
    """The ``key：value`` lines at the top of a saved page (two or more of HEADER_FIELDS, before any
    other text; 正文： ends them). Empty fields are left out."""
    out: dict[str, str] = {}
    seen = 0
    for line in lines[:40]:
        text = line.text.strip()
        if not text:
            continue
        m = _HEADER_LINE.match(text)
        if m is None or line.table is not None:
            break
        seen += 1
        if m.group("key") == "正文":
            break
        if m.group("value"):
            out.setdefault(m.group("key"), m.group("value"))
    return out if seen >= 2 else {}


def _bare(org: str) -> str:
    return org.strip("《》「」“”\"' ")


class TitleMatch(NamedTuple):
    text: str  # the title as matched (squashed, noise and file extension removed)
    org: str | None  # the agency it names; None when it names none
    year: int | None


class Title(NamedTuple):
    text: str
    org: str | None
    year: int | None
    source: str  # where the title was read: "title", "title_hint" or "header:标题"


def _org_part(m: re.Match[str]) -> str | None:
    """The agency part of a title match, cleaned; None when the match is not a title (the part is
    too long, or holds words no agency name holds)."""
    org, rest = m.group("org"), m.string[m.end("org") :]
    if len(org) > 60 or _NOT_IN_ORG.search(org):
        return None
    if org.endswith("人民") and rest.startswith("政府信息公开"):
        org += "政府"  # XX县人民政府信息公开…: the government's own report, not 人民 + 政府信息公开
    return re.sub(r"(?:关于|的)$", "", org)  # XX县人民政府办公室关于2023年…


def _agency(org: str) -> str | None:
    """The agency an org part names; None for a title that names none ("2022年政府信息公开工作年度
    报告", where the shortest match would take 政府)."""
    if org in ("", "政府", "政务", "年度", "本年度") or _PRONOUN.match(org):
        return None
    return org


def _match_title(text: str) -> TitleMatch | None:
    text = squash(text)
    text = _NOISE_PREFIX.sub("", text)
    text = _CN_YEAR.sub(lambda m: m.group(0).translate(_CN_DIGITS), text)
    text = _TRAILER.sub("", _FILE_EXT.sub("", text))
    for rx in (TITLE_ORG_FIRST, TITLE_YEAR_FIRST, TITLE_YEAR_AFTER, TITLE_YEAR_PAREN):
        m = rx.match(text)
        if m and (org := _org_part(m)) is not None:
            return TitleMatch(text, _agency(org), int(m.group("year")))
    m = TITLE_NO_YEAR.match(text)
    if m and (org := _org_part(m)) is not None and (agency := _agency(org)):
        return TitleMatch(text, agency, None)
    return None


def find_title(lines: Sequence[Line], hints: Sequence[str] = ()) -> Title | None:
    """The title line(s): within the first lines of the document (a title may span two lines, may
    carry markdown or Word artefacts), else the page's title hint (``source`` says which: "title"
    or "title_hint")."""
    texts: list[str] = []
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
            return Title(*got, "title")
        # a title broken over two or three lines (agency / year / 政府信息公开工作年度报告)
        for n in (2, 3):
            if i + n <= len(texts) and (n == 2 or all(len(squash(x)) <= 40 for x in texts[i + 1 : i + n])):
                got = _match_title("".join(texts[i : i + n]))
                if got:
                    return Title(*got, "title")
    for hint in hints:
        if not hint:
            continue
        got = _match_title(_SITE_SUFFIX.sub("", clean_line(hint)))
        if got:
            return Title(*got, "title_hint")
    return None


def extract(lines: Sequence[Line], hints: Sequence[str] = ()) -> Meta:
    title = org = None
    year = None
    source = None
    header = page_header(lines)
    in_header = _match_title(clean_line(header["标题"])) if "标题" in header else None
    got = Title(*in_header, "header:标题") if in_header else find_title(lines, hints)
    title_from = None
    if got:
        title, org, year, title_from = got
        if year is not None:
            source = "title"
    org_from = title_from if org else None
    for key in ("发布机构", "发文机关"):
        named = _bare(clean_line(header.get(key, "")))
        if named and not _NOT_IN_ORG.search(named):
            org, org_from = named, f"header:{key}"  # the page names its publisher: that beats a title
            break
    body = squash(" ".join(line.text for line in lines[:400]))
    if org is None:
        for rx in BODY_ORG:
            m = next((m for m in rx.finditer(body) if not _PRONOUN.match(_bare(m.group("org")))), None)
            if m:
                org, org_from = m.group("org"), "body"
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
    source_name = _bare(clean_line(header.get("来源", "")))
    if org is None and _PLACE.search(source_name) and not _NOT_IN_ORG.search(source_name):
        org, org_from = source_name, "header:来源"  # a source that names its place, when nothing else does
    if org:
        org = _bare(org)
    url_key = next((k for k in ("原始链接", "链接", "网址") if _URL.match(header.get(k, ""))), None)
    url = header[url_key] if url_key else None
    meta_from = {
        "title": title_from,
        "org_name": org_from if org else None,
        "report_year": source,
        "document_url": f"header:{url_key}" if url_key else None,
    }
    return Meta(title, org or None, year, stat_period, source, meta_from, header or None, url)
