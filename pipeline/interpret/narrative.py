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


def _rx(text: str) -> re.Pattern:
    return re.compile(text)


# key → tiers of patterns (best tier first)
PATTERNS: dict[str, list[list[re.Pattern]]] = {
    "n_active_disclosed_total": [
        [_rx(r"(?:主动公开|主动发布|主动公布)" + _INFO + _TOTAL + _PRE + _NUM + r"(?:条|篇|项|件)")],
        [_rx(r"(?:累计公开|共公开|共公布|共发布|公开发布|累计发布|公开)" + _INFO + _TOTAL + _PRE + _NUM + r"(?:条|篇|项)")],
    ],
    "n_applications_narr": [
        [_rx(r"(?:收到|受理|接收|接到|办理|新收)(?:各类|群众|公民|社会公众)?(?:的)?(?:依申请)?(?:政府)?(?:信息公开|公开)"
             r"(?:申请|依申请)?(?:事项|件数|数量)?" + _TOTAL + _PRE + _NUM + r"(?:件|份|条|个|宗|次)")],
    ],
    "n_policy_interpretations": [
        [_rx(r"(?:发布|公开|制作)?(?:各类)?政策解读(?:信息|材料|稿件|文章)?" + _TOTAL + _NUM + r"(?:篇|件|条|期)")],
    ],
    "n_responses_to_public": [[_rx(r"回应(?:网民|公众|群众)(?:关切|问题|留言)?" + _TOTAL + _NUM + r"(?:件次|件|条|次)")]],
    "n_press_conferences": [[_rx(r"(?:举办|召开)(?:新闻发布会|发布会)" + _TOTAL + _NUM + r"(?:场|次)")]],
    "n_website_visits": [[_rx(r"访问量" + _TOTAL + r"(?:为)?" + _PRE + _NUM + r"(?:人次|次)")]],
    "n_npc_suggestions": [[_rx(r"(?:承办|办理|办结)(?:市|区|县|省)?人大(?:代表)?建议" + _TOTAL + _NUM + r"件")]],
    "n_cppcc_proposals": [[_rx(r"(?:市|区|县|省)?政协(?:委员)?提案" + _TOTAL + _NUM + r"件")]],
    "n_license_items_narr": [[_rx(r"(?:行政许可|行政审批)(?:信息|事项|类信息)?" + _TOTAL + _NUM + r"(?:件|条|项)")]],
    "n_penalty_items_narr": [[_rx(r"行政处罚(?:信息|事项|案件|决定|类信息)?" + _TOTAL + _NUM + r"(?:件|条|项)")]],
    "n_review_cases_narr": [[_rx(r"(?:收到|受理|发生|办理)(?:\d+[份件])?(?:有关|涉及)?(?:政府信息公开)?(?:的)?行政复议(?:申请|案件)?"
                                 + _TOTAL + _NUM + r"(?:件|份|起|宗)"),
                             _rx(r"(?:收到|受理)" + _NUM + r"(?:件|份|起)(?:有关|涉及)?(?:政府信息公开)?(?:的)?行政复议")]],
}
_NO_APPLICATIONS = re.compile(
    r"(?:未|没有|无)(?:收到|受理|接到|接收)(?:过)?(?:任何)?(?:群众|公民)?(?:的)?(?:有关)?(?:依申请)?(?:政府)?(?:信息)?公开(?:的)?申请")
_NO_FEES = re.compile(r"(?:未|没有|不)(?:收取|收)(?:任何)?(?:相关|信息处理)?费用")
_FEES = re.compile(r"(?:收取|收)(?:了)?(?:信息处理费|费用)" + _TOTAL + _NUM + r"元")


def _figure(m: re.Match) -> Figure:
    num = m.group("num").replace(",", "")
    value: int | float = float(num) if "." in num else int(num)
    if m.groupdict().get("wan"):
        value = value * 10000
        value = int(value) if float(value).is_integer() else value
    approx = bool(m.groupdict().get("approx")) or bool(m.groupdict().get("pre"))
    return Figure(value, m.group(0), approx)


def _is_part(text: str, start: int) -> bool:
    """A figure that is a part of another (其中…, 其他…, inside a parenthesis), not a total."""
    before = text[max(0, start - 8):start]
    if any(w in before for w in ("其中", "其他", "其它", "另有", "包括")):
        return True
    window = text[max(0, start - 60):start]
    return window.count("(") > window.count(")")


def _search(tiers: list[list[re.Pattern]], texts: list[str], totals: bool = False) -> re.Match | None:
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
    s1 = squash(sec1)
    texts = [t for t in (s1, squash(whole) if whole else "") if t]
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
    s6 = squash(sec6)
    m = _FEES.search(s6) if s6 else None
    if m:
        out["fee_info_processing_yuan"] = _figure(m)
    elif s6 and (m := _NO_FEES.search(s6)):
        out["fee_info_processing_yuan"] = Figure(0, m.group(0), False)
    return out
