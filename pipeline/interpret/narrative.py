"""Figures stated in sentences (template_spec.md §7, §8): 主动公开政府信息N条, 收到申请N件, …

Patterns run on text with all whitespace removed (extractions split numbers and units across
spaces, lines and pages: "共收到⏎⏎依申请信息公开 47 件"). Each figure has tiers of patterns: a
strong phrasing anywhere beats a weak one (so 主动公开政府信息2069条 beats 共发布信息1992条, a
microblog's count); within a tier, section 一 comes first, then the rest in reading order.
Quantifiers 余/逾/近/超/约/多 make a figure approximate.
"""

from __future__ import annotations

import re

from ..normalize import squash
from ..record import Figure

_NUM = r"(?P<num>\d+(?:,\d{3})*(?:\.\d+)?)(?P<wan>万)?(?P<approx>[余逾多]?)"
_PRE = r"(?P<pre>[近超约逾]|超过|将近|共计约)?"
_TOTAL = r"(?:共计|共|合计|总计|累计)?(?:达到|达)?"
_INFO = r"(?:各类|各项)?(?:政府信息|政务信息|信息)(?:数量|数)?"


def _rx(text: str) -> re.Pattern[str]:
    return re.compile(text)


# every figure key the parser reads from sentences: (meaning, unit, an example of the phrasing); the
# data dictionary's narrative section is generated from this (``python -m warehouse.generated``)
KEYS: dict[str, tuple[str, str, str]] = {
    "n_active_disclosed_total": (
        "government information disclosed on the agency's own initiative",
        "条/件",
        "主动公开政府信息15836件",
    ),
    "n_applications_narr": (
        "disclosure applications received (0 when the text says none were)",
        "件",
        "共受理政府信息公开申请302件",
    ),
    "n_policy_interpretations": (
        "policy interpretations published",
        "篇/份",
        "发布政策解读稿件445篇; 同步配套解读文件319份",
    ),
    "n_responses_to_public": ("responses to public concerns", "次/件", "回应公众关切31次"),
    "n_press_conferences": ("press conferences held", "场/次", "召开新闻发布会12场"),
    "n_website_visits": ("visits of the portal", "次", "访问量达120万人次"),
    "n_npc_suggestions": ("people's congress suggestions handled", "件", "办理人大代表建议52件"),
    "n_cppcc_proposals": ("CPPCC proposals handled", "件", "政协提案31件"),
    "n_license_items_narr": (
        "administrative licence decisions stated in the text (compare s2_license_decisions)",
        "项/件",
        "行政许可、行政处罚…分别为554782项、244523项",
    ),
    "n_penalty_items_narr": (
        "administrative penalty decisions stated in the text (compare s2_penalty_decisions)",
        "项/件",
        "行政许可、行政处罚…分别为554782项、244523项",
    ),
    "n_coercion_items_narr": (
        "administrative coercion decisions stated in the text",
        "项/件",
        "…行政强制处理决定数量分别为…和12061项",
    ),
    "n_review_cases_narr": (
        "administrative reconsideration cases about disclosure stated in the text",
        "件",
        "发生行政复议6件",
    ),
    "n_litigation_cases_narr": (
        "administrative lawsuits about disclosure stated in the text",
        "件",
        "发生行政复议6件、行政诉讼7件",
    ),
    "fee_info_processing_yuan": (
        "information processing fees collected (0 when the text says none were)",
        "元",
        "本年度未收取信息处理费",
    ),
}

# key → tiers of patterns (best tier first)
PATTERNS: dict[str, list[list[re.Pattern[str]]]] = {
    "n_active_disclosed_total": [
        [_rx(r"(?:主动公开|主动发布|主动公布)" + _INFO + _TOTAL + _PRE + _NUM + r"(?:条|篇|项|件)")],
        [
            _rx(
                r"(?:累计公开|共公开|共公布|共发布|公开发布|累计发布|公开)"
                + _INFO
                + _TOTAL
                + _PRE
                + _NUM
                + r"(?:条|篇|项)"
            )
        ],
    ],
    "n_applications_narr": [
        [
            _rx(
                r"(?:收到|受理|接收|接到|办理|新收)(?:各类|群众|公民|社会公众)?(?:的)?(?:依申请)?(?:政府)?(?:信息公开|公开)"
                r"(?:申请|依申请)?(?:事项|件数|数量)?" + _TOTAL + _PRE + _NUM + r"(?:件|份|条|个|宗|次)"
            )
        ],
    ],
    "n_policy_interpretations": [
        [_rx(r"(?:发布|公开|制作)?(?:各类)?政策解读(?:信息|材料|稿件|文章)?" + _TOTAL + _NUM + r"(?:篇|件|条|期|份)")],
        # "同步配套解读文件319份", "配套图解、视频、音频、访谈等解读材料420份"
        [_rx(r"配套[^,，。;；]{0,20}?解读(?:文件|材料|稿件|文章)" + _TOTAL + _NUM + r"(?:篇|件|条|期|份)")],
    ],
    "n_responses_to_public": [
        [_rx(r"回应(?:网民|公众|群众)(?:关切|问题|留言)?" + _TOTAL + _NUM + r"(?:件次|件|条|次)")]
    ],
    "n_press_conferences": [[_rx(r"(?:举办|召开)(?:新闻发布会|发布会)" + _TOTAL + _NUM + r"(?:场|次)")]],
    "n_website_visits": [[_rx(r"访问量" + _TOTAL + r"(?:为)?" + _PRE + _NUM + r"(?:人次|次)")]],
    "n_npc_suggestions": [[_rx(r"(?:承办|办理|办结)(?:市|区|县|省)?人大(?:代表)?建议" + _TOTAL + _NUM + r"件")]],
    "n_cppcc_proposals": [[_rx(r"(?:市|区|县|省)?政协(?:委员)?提案" + _TOTAL + _NUM + r"件")]],
    "n_license_items_narr": [[_rx(r"(?:行政许可|行政审批)(?:信息|事项|类信息)?" + _TOTAL + _NUM + r"(?:件|条|项)")]],
    "n_penalty_items_narr": [[_rx(r"行政处罚(?:信息|事项|案件|决定|类信息)?" + _TOTAL + _NUM + r"(?:件|条|项)")]],
    "n_review_cases_narr": [
        [
            _rx(
                r"(?:收到|受理|发生|办理|涉及)(?:\d+[份件])?(?:有关|涉及)?(?:政府信息公开)?(?:的)?行政复议(?:申请|案件)?"
                + _TOTAL
                + _NUM
                + r"(?:件|份|起|宗)"
            ),
            _rx(r"(?:收到|受理)" + _NUM + r"(?:件|份|起)(?:有关|涉及)?(?:政府信息公开)?(?:的)?行政复议"),
        ]
    ],
    # "发生行政复议6件、行政诉讼7件", "涉及行政复议20件，行政诉讼11件", "被提起行政诉讼2起"
    "n_litigation_cases_narr": [
        [
            _rx(
                r"(?:(?:收到|受理|发生|办理|涉及|被提起|应诉)(?:有关|涉及)?(?:政府信息公开)?(?:的)?"
                r"|行政复议\d+[件份起宗][、,，和及])行政诉讼(?:案件)?" + _TOTAL + _NUM + r"(?:件|起|宗)"
            )
        ]
    ],
}
# "行政许可、行政处罚、行政强制处理决定数量分别为554782项、244523项和12061项": the figures of a list
_RESPECTIVELY = re.compile(
    r"(?P<head>[^,，。;；:：]{2,60}?)分别(?:为|是|有)(?P<nums>\d+(?:\.\d+)?(?:项|件|条|个)?"
    r"(?:[、,，和及与]\d+(?:\.\d+)?(?:项|件|条|个)?)+)"
)
_RESPECTIVELY_KEYS = (
    ("行政许可", "n_license_items_narr"),
    ("行政处罚", "n_penalty_items_narr"),
    ("行政强制", "n_coercion_items_narr"),
)
_NO_APPLICATIONS = re.compile(
    r"(?:未|没有|无)(?:收到|受理|接到|接收)(?:过)?(?:任何)?(?:群众|公民)?(?:的)?(?:有关)?(?:依申请)?(?:政府)?(?:信息)?公开(?:的)?申请"
)
_NO_FEES = re.compile(r"(?:未|没有|不|无)(?:收取|收)(?:任何)?(?:相关)?(?:信息处理费|费用)")
_FEES = re.compile(r"(?:收取|收)(?:了)?(?:信息处理费|费用)" + _TOTAL + _NUM + r"元")


_ORDINAL = r"(?:\([一二三四五六七八九十]{1,3}\)|[一二三四五六七八九十]{1,3}[、.])"
_HEADING_LINE = re.compile(_ORDINAL + r"[^。；;！!？?,，:：]{1,30}")
_ORDINAL_LINE = re.compile(_ORDINAL)


def squash_lines(text: str) -> str:
    """``text`` squashed (:func:`pipeline.normalize.squash`: numbers and units split across lines are
    whole again), except that a sub-heading line ("(二)依申请公开情况", or "二、" and its name on the
    next line) keeps its line end: a heading ends a sentence, so a figure's sentence does not start
    with it."""
    out = []
    after_ordinal = False
    for line in text.splitlines():
        s = squash(line)
        if not s:
            continue
        heading = bool(_HEADING_LINE.fullmatch(s)) or (
            after_ordinal and len(s) <= 30 and not re.search(r"[。；;！!？?,，:：]", s)
        )
        after_ordinal = bool(_ORDINAL_LINE.fullmatch(s))
        out.append(s + "\n" if heading else s)
    return "".join(out)


def sentence(text: str, start: int, end: int) -> str:
    """The sentence of ``text`` holding ``text[start:end]``: from the end of the previous sentence to
    the end of this one (。；！？ or a line end)."""
    stops = "。；;！!？?\n"
    a = max(text.rfind(c, 0, start) for c in stops) + 1
    ends = [i for i in (text.find(c, end) for c in stops) if i >= 0]
    b = min(ends) + 1 if ends else len(text)
    return text[a:b].strip()


def _figure(m: re.Match[str]) -> Figure:
    num = m.group("num").replace(",", "")
    value: int | float = float(num) if "." in num else int(num)
    if m.groupdict().get("wan"):
        value = value * 10000
        value = int(value) if float(value).is_integer() else value
    approx = bool(m.groupdict().get("approx")) or bool(m.groupdict().get("pre"))
    return Figure(value, m.group(0), approx, sentence(m.string, m.start(), m.end()))


def _number(text: str) -> int | float:
    digits = re.match(r"\d+(?:\.\d+)?", text).group(0)  # type: ignore[union-attr]
    return float(digits) if "." in digits else int(digits)


def respectively(text: str) -> dict[str, Figure]:
    """Figures stated as a list: "行政许可、行政处罚…分别为554782项、244523项" (each item of the list
    with the number in its place; a list whose items and numbers do not pair up gives nothing)."""
    out: dict[str, Figure] = {}
    for m in _RESPECTIVELY.finditer(text):
        items = [i for i in re.split(r"[、和及与]", m.group("head")) if i]
        nums = [n for n in re.split(r"[、,，和及与]", m.group("nums")) if n]
        if len(items) != len(nums):
            continue
        for item, num in zip(items, nums):
            key = next((k for word, k in _RESPECTIVELY_KEYS if item.startswith(word)), None)
            if key and key not in out:
                out[key] = Figure(_number(num), m.group(0), False, sentence(text, m.start(), m.end()))
    return out


def _is_part(text: str, start: int) -> bool:
    """A figure that is a part of another (其中…, 其他…, inside a parenthesis), not a total."""
    before = text[max(0, start - 8) : start]
    if any(w in before for w in ("其中", "其他", "其它", "另有", "包括")):
        return True
    window = text[max(0, start - 60) : start]
    return window.count("(") > window.count(")")


def _search(tiers: list[list[re.Pattern[str]]], texts: list[str], totals: bool = False) -> re.Match[str] | None:
    for tier in tiers:
        for text in texts:
            best = None
            for rx in tier:
                for m in rx.finditer(text):
                    if totals and _is_part(text, m.start()):
                        continue
                    if best is None or m.start() < best.start():
                        best = m
                    break
            if best:
                return best
    return None


def extract(sec1: str, sec6: str = "", whole: str = "") -> dict[str, Figure]:
    """Figures from section 一 (then the whole text) and the fee statement of section 六."""
    out: dict[str, Figure] = {}
    s1 = squash_lines(sec1)
    texts = [t for t in (s1, squash_lines(whole) if whole else "") if t]
    for key, tiers in PATTERNS.items():
        m = _search(tiers, texts, totals=key == "n_active_disclosed_total")
        if key == "n_applications_narr":
            for text in texts:
                zero = _NO_APPLICATIONS.search(text)
                hit = tiers[0][0].search(text)
                if zero and (not hit or zero.start() < hit.start()):
                    out[key] = Figure(0, zero.group(0), False)
                    break
                if hit:
                    out[key] = _figure(hit)
                    break
            continue
        if m:
            out[key] = _figure(m)
    for text in texts:
        for key, fig in respectively(text).items():
            out.setdefault(key, fig)
    s6 = squash_lines(sec6)
    for text in [t for t in (s6, texts[-1] if texts else "") if t]:  # section 六 first, then the whole
        m = _FEES.search(text)
        if m:
            out["fee_info_processing_yuan"] = _figure(m)
            break
        if m := _NO_FEES.search(text):
            out["fee_info_processing_yuan"] = Figure(0, m.group(0), False, sentence(text, m.start(), m.end()))
            break
    return out
