"""Find the annual-report column from a portal page: by link text and by URL slug."""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import urlsplit

from .htmlmeta import Link
from .titles import is_report_title

_COLUMN_TEXT = re.compile(
    r"(政府|政务)?信息公开(工作)?(年度)?年报|政务公开年报|信息公开(工作)?年度报告|^年报$|^年度报告$|公开年报"
)
_COLUMN_EXCLUDE = re.compile(r"统计|决算|预算|财务|企业|工商|社会组织|审计|价格|信用|年检")
# the slug must name the column itself (``…/zfxxgknb/``, ``…/zfxxgknb/index.html``), not a page below it
COLUMN_SLUGS = re.compile(
    r"(^|/)([\w-]*_)?(zfxxgknb|bmxxgknb|xxgknb|gknb|zfxxgkgzndbg|gkndbg|ndbg|xxgkndbg|zfxxgkndbg|annualreport)"
    r"(_[\w-]*)?(/((index|default|nlist)(_\d+)?\.\w+)?)?$|xxgkAnnualReport",
    re.I,
)
_HUB_TEXT = re.compile(
    r"^(政府信息公开|信息公开|政务公开|政府信息公开目录|信息公开目录|政府信息公开专栏|政务公开专栏|部门信息公开|信息公开平台)$"
)
# the last path segment names an information-disclosure hub: /zwgk/, /xxgk/index.html, /gkmlpt/index
HUB_SLUGS = re.compile(
    r"(^|/)(zfxxgk|xxgk|zwgk|gkml|gkmlpt|xxgkml|zfxxgkml|govinfo|openness)(_\w+)?/((index|default)\.\w+)?$|/gkmlpt/index$",
    re.I,
)


def _norm(text: str) -> str:
    return re.sub(r"[\s\u3000>»·|:：]+", "", unicodedata.normalize("NFKC", text or ""))


def is_column_text(text: str) -> bool:
    t = _norm(text)
    return bool(t) and len(t) <= 20 and not _COLUMN_EXCLUDE.search(t) and bool(_COLUMN_TEXT.search(t))


def is_column_url(url: str) -> bool:
    return bool(COLUMN_SLUGS.search(urlsplit(url).path))


def is_hub(link: Link) -> bool:
    t = _norm(link.label)
    if t and _HUB_TEXT.match(t):
        return True
    return not t and bool(HUB_SLUGS.search(urlsplit(link.url).path))


def classify(link: Link) -> str | None:
    """'report' (an article titled like a report), 'column', 'hub' or None."""
    if is_report_title(link.label) or is_report_title(link.text):
        return "report"
    if is_column_text(link.label) or is_column_text(link.text):
        return "column"
    # a slug alone counts when the text does not say something else (e.g. an icon link)
    if is_column_url(link.url) and not _COLUMN_EXCLUDE.search(_norm(link.label)) and len(_norm(link.label)) <= 12:
        return "column"
    if is_hub(link):
        return "hub"
    if (
        HUB_SLUGS.search(urlsplit(link.url).path)
        and re.search(r"公开", _norm(link.label))
        and len(_norm(link.label)) <= 12
    ):
        return "hub"
    return None
