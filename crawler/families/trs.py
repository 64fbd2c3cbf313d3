"""TRS WCM: static list pages ``index.html``, ``index_1.html`` … announced by
``createPageHTML(total, current, "index", "html")`` or ``var countPage = N``."""

from __future__ import annotations

import re

from .base import CmsFamily, ListFetch, Page, column_dir

_CALL_RE = re.compile(r"createPageHTML\s*\(([^)]*)\)")
_VAR_RE = r"var\s+{name}\s*=\s*['\"]?(\d+)"
_COUNT_RE = re.compile(r"var\s+countPage\s*=\s*['\"]?(\d+)")
_EXT_RE = re.compile(r"/[^/]*\.(s?html?)$", re.I)


def _args(raw: str) -> list[str]:
    return [a.strip().strip("'\"") for a in raw.split(",")]


def _resolve(token: str, text: str) -> int | None:
    if token.isdigit():
        return int(token)
    if re.fullmatch(r"[A-Za-z_$][\w$]*", token):
        m = re.search(_VAR_RE.format(name=re.escape(token)), text)
        if m:
            return int(m.group(1))
    return None


def pagination(text: str, url: str) -> tuple[int, str, str] | None:
    """(total pages, prefix, extension) announced on a TRS list page."""
    m = _CALL_RE.search(text)
    default_ext = (_EXT_RE.search(url).group(1) if _EXT_RE.search(url) else "html").lower()
    if m:
        args = _args(m.group(1))
        nums = [n for n in (_resolve(a, text) for a in args) if n is not None]
        words = [a for a in args if a and not a.isdigit() and _resolve(a, text) is None]
        # newer templates pass a container id first: createPageHTML('page_div', 7, 1, 'index', 'html', 137)
        if len(words) >= 3:
            words = words[-2:]
        if nums:
            prefix = words[0] if len(words) >= 1 else "index"
            ext = words[1] if len(words) >= 2 else default_ext
            return nums[0], prefix, ext
    m = _COUNT_RE.search(text)
    if m:
        return int(m.group(1)), "index", default_ext
    return None


class Trs(CmsFamily):
    name = "trs"
    markers = (
        re.compile(r"createPageHTML\s*\("),
        re.compile(r"var\s+countPage\s*="),
        re.compile(r"TRS_Editor|TRS_UEDITOR|trs_editor"),
        re.compile(r"/t\d{8}_\d+\.s?html?"),
        re.compile(r"<meta\s+name=\"?SiteIDCode", re.I),
    )

    def more_pages(self, page: Page) -> list[ListFetch]:
        info = pagination(page.text, page.url)
        if not info:
            return []
        total, prefix, ext = info
        base = column_dir(page.url)
        return [
            ListFetch(f"{base}{prefix}.{ext}" if n == 0 else f"{base}{prefix}_{n}.{ext}")
            for n in range(0, max(0, total))
        ]
