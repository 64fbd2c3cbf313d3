"""Is a page's text layer usable? Counts of undecodable, private-use and control glyphs."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from .model import PageContent

MIN_CHARS = 10  # fewer usable glyphs than this on a page that shows something: no text layer
MAX_BAD_SHARE = 0.10  # more undecodable glyphs than this share: unusable
IMAGE_PAGE = 0.5  # a page this much covered by images ...
IMAGE_PAGE_TEXT = 150  # ... with fewer text glyphs than this is a scan (a typed heading over a scanned table)


@dataclass(frozen=True, slots=True)
class PageHealth:
    page: int
    ok: bool
    reason: str | None  # why the text layer is not usable
    glyphs: int
    bad: int
    blank: bool  # nothing on the page at all (no text, no images, no drawings)


def _bad(text: str) -> bool:
    for ch in text:
        o = ord(ch)
        if ch == "\ufffd" or 0xE000 <= o <= 0xF8FF or o >= 0xF0000:
            return True
        if unicodedata.category(ch) in ("Cc", "Cs", "Co", "Cn") and ch not in "\t\n\r":
            return True
    return False


def _cjk(ch: str) -> bool:
    o = ord(ch)
    return 0x4E00 <= o <= 0x9FFF or 0x3400 <= o <= 0x4DBF or 0xF900 <= o <= 0xFAFF


def assess(page: PageContent) -> PageHealth:
    """Health of one page's text layer."""
    texts = [t for t in page.raw_texts if t and not t.isspace()]
    glyphs = len(texts)
    bad = sum(1 for t in texts if t.startswith("(cid:") or _bad(t))
    blank = glyphs == 0 and page.images == 0 and page.curves == 0 and not page.segments
    if blank:
        return PageHealth(page.number, True, None, 0, 0, True)
    if glyphs - bad < MIN_CHARS:
        reason = "no text layer" if glyphs == 0 else f"only {glyphs - bad} readable glyphs"
        return PageHealth(page.number, False, reason, glyphs, bad, False)
    if page.image_cover >= IMAGE_PAGE and glyphs - bad < IMAGE_PAGE_TEXT:
        return PageHealth(
            page.number,
            False,
            f"an image covers {page.image_cover:.0%} of the page and only {glyphs - bad} glyphs are text",
            glyphs,
            bad,
            False,
        )
    if bad > MAX_BAD_SHARE * glyphs:
        return PageHealth(
            page.number,
            False,
            f"{bad} of {glyphs} glyphs undecodable ((cid:N), private-use or control)",
            glyphs,
            bad,
            False,
        )
    joined = "".join(texts)
    letters = sum(1 for ch in joined if ch.isalpha())
    cjk = sum(1 for ch in joined if _cjk(ch))
    if glyphs >= 30 and letters >= 0.5 * len(joined) and cjk < 0.02 * len(joined) and _mojibake(joined):
        return PageHealth(page.number, False, "no Chinese text: the font's Unicode map looks wrong", glyphs, bad, False)
    return PageHealth(page.number, True, None, glyphs, bad, False)


def _mojibake(text: str) -> bool:
    """Latin-1 supplement and symbol soup, the mark of a wrong ToUnicode map on a Chinese page."""
    odd = sum(1 for ch in text if 0x00A0 <= ord(ch) <= 0x024F or unicodedata.category(ch) in ("So", "Sm", "Sk"))
    return odd >= 0.2 * len(text)
