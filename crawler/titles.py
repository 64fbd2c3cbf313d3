"""Is a title an annual report (template_spec.md §10.1), and of which year."""

from __future__ import annotations

import re
import unicodedata

_WS_RE = re.compile(r"[\s\u3000]+")
_ORG_FIRST = re.compile(
    r"^(?P<org>.+?)(?P<year>(19|20)\d{2})年度?(政府信息公开|政务信息公开|政务公开|信息公开)(工作)?(的)?(年度)?报告$"
)
_YEAR_FIRST = re.compile(r"^(?P<year>(19|20)\d{2})年度?(?P<org>.+?)政府信息公开工作年度报告$")
# trailing decorations seen on list pages: "（全文）", "(更正)", "【PDF】"
_TRAILER_RE = re.compile(r"[(（【\[][^()（）【】\[\]]{1,8}[)）】\]]$")


def normalise_title(title: str) -> str:
    """NFKC, no whitespace, no markdown, no trailing qualifier in brackets."""
    t = unicodedata.normalize("NFKC", title or "")
    t = _WS_RE.sub("", t).strip("#*《》\"'“”")
    for _ in range(2):
        stripped = _TRAILER_RE.sub("", t)
        if stripped == t:
            break
        t = stripped
    return t


def report_year(title: str) -> int | None:
    """The report year when ``title`` matches a §10.1 pattern, else None."""
    t = normalise_title(title)
    for rx in (_ORG_FIRST, _YEAR_FIRST):
        m = rx.match(t)
        if m:
            return int(m.group("year"))
    return None


def is_report_title(title: str) -> bool:
    return report_year(title) is not None


def looks_truncated(title: str) -> bool:
    t = (title or "").strip()
    return t.endswith(("...", "…", "..")) and ("年" in t)
