"""Figures stated in sentences (template_spec.md §8): 主动公开政府信息N条, 收到申请N件, …"""
from __future__ import annotations

import re

from ..normalize import nfkc
from ..record import Figure

_NUM = r"(?P<num>\d+(?:\.\d+)?)(?P<approx>[余逾多]?)"
_PRE_APPROX = r"(?P<pre>[近超约逾]|超过|将近)?"

# (key, regex, value function). First match in the text wins; patterns run on text with all
# whitespace removed (numbers and units are split by spaces and line breaks in extractions).
PATTERNS: list[tuple[str, re.Pattern]] = [
    ("n_active_disclosed_total", re.compile(
        r"(?:主动公开|主动发布|主动公布|公开发布|累计公开|共公开|共公布|共发布|公开)(?:各类|各项)?(?:政府信息|政务信息|信息)"
        r"(?:数量|数)?(?:共计|共|合计|总计|累计)?(?:达到|达)?" + _PRE_APPROX + _NUM + r"(?:条|篇|项)")),
    ("n_applications_narr", re.compile(
        r"(?:收到|受理|接收|接到|办理|新收)(?:各类|群众|公民|社会公众)?(?:的)?(?:依申请)?(?:政府)?(?:信息公开|公开)(?:申请|依申请)?"
        r"(?:事项|件数|数量)?(?:共计|共|合计|总计|累计)?(?:达)?" + _PRE_APPROX + _NUM + r"(?:件|份|条|个|宗|次)")),
    ("n_policy_interpretations", re.compile(r"(?:发布|公开|制作)?(?:各类)?政策解读(?:信息|材料|稿件)?(?:共)?" + _NUM + r"(?:篇|件|条|期)")),
    ("n_responses_to_public", re.compile(r"回应(?:网民|公众|群众)(?:关切|问题|留言)?(?:共)?" + _NUM + r"(?:件次|件|条|次)")),
    ("n_press_conferences", re.compile(r"(?:举办|召开)(?:新闻发布会|发布会)(?:共)?" + _NUM + r"(?:场|次)")),
    ("n_website_visits", re.compile(r"(?:网站)?(?:总)?访问量(?:达到|达|为)?" + _PRE_APPROX + _NUM + r"(?:万)?(?:人次|次)")),
]
_NO_APPLICATIONS = re.compile(
    r"(?:未|没有|无)(?:收到|受理|接到|接收)(?:过)?(?:任何)?(?:群众|公民)?(?:的)?(?:依申请)?(?:政府)?(?:信息)?公开(?:的)?申请")
_NO_FEES = re.compile(r"(?:未|没有|不)(?:收取|收)(?:任何)?(?:相关|信息处理)?费用")
_FEES = re.compile(r"(?:收取|收)(?:信息处理费|费用)(?:共计|共|合计)?" + _NUM + r"元")


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", nfkc(text))


def _figure(m: re.Match) -> Figure:
    raw = m.group(0)
    num = m.group("num")
    value: int | float = float(num) if "." in num else int(num)
    approx = bool(m.groupdict().get("approx")) or bool(m.groupdict().get("pre"))
    return Figure(value, raw, approx)


def extract(sec1: str, sec6: str = "", whole: str = "") -> dict[str, Figure]:
    """Figures from section 一 (falling back to the whole text for those it lacks) and 六."""
    out: dict[str, Figure] = {}
    s1 = _squash(sec1)
    everything = _squash(whole) if whole else s1
    for key, rx in PATTERNS:
        for text in ((s1, everything) if s1 else (everything,)):
            m = rx.search(text)
            zero = _NO_APPLICATIONS.search(text) if key == "n_applications_narr" else None
            if zero and (not m or zero.start() < m.start()):
                out[key] = Figure(0, zero.group(0), False)
                break
            if m:
                out[key] = _figure(m)
                break
    s6 = _squash(sec6)
    m = _FEES.search(s6) if s6 else None
    if m:
        out["fee_info_processing_yuan"] = _figure(m)
    else:
        m = _NO_FEES.search(s6) if s6 else None
        if m:
            out["fee_info_processing_yuan"] = Figure(0, m.group(0), False)
    return out

