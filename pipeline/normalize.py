"""Text normalisation for matching labels and reading numbers (template_spec.md §9.1)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

_WS_RE = re.compile(r"[\s\u3000\u00a0\u200b\u200c\u200d\ufeff]+")
_ARTEFACT_RE = re.compile(r"\[bookmark:[^\]]*\]|\[[a-z]+:[^\]]*\]|[#*]+|<[^>]{0,40}>")
_NUM_RE = re.compile(r"^[+\-−–]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$")
_UNIT_NUM_RE = re.compile(r"^([+\-−–]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?)(万元|万|元|件|条|个|项|次|份)$")
_SPACED_DIGITS_RE = re.compile(r"\d[ \t\u3000\u00a0]+\d")
DASHES = {"-", "—", "–", "−", "——", "/", "／", "\\", "无", "—-", "--", "---", "－", "―"}


def nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


def squash(text: str) -> str:
    """NFKC, no whitespace at all, no markdown/Word artefacts: the form labels are matched in."""
    text = nfkc(text)
    text = _ARTEFACT_RE.sub("", text)
    text = _WS_RE.sub("", text)
    return text.replace("〇", "0") if _looks_numeric(text) else text


def clean_line(text: str) -> str:
    """NFKC and artefacts removed, whitespace collapsed to single spaces (for titles and prose)."""
    text = nfkc(text)
    text = _ARTEFACT_RE.sub("", text)
    return _WS_RE.sub(" ", text).strip()


def _looks_numeric(text: str) -> bool:
    return bool(text) and all(ch.isdigit() or ch in "〇.,+-" for ch in text)


@dataclass(frozen=True, slots=True)
class Number:
    value: int | float
    unit: str | None = None


def parse_number(text: str) -> Number | None:
    """The number a value cell prints, or None. '0　' → 0; '1,234' → 1234; '6.144' → 6.144;
    '75394432.52元' → 75394432.52 (unit 元); '〇' → 0."""
    if _SPACED_DIGITS_RE.search(text):
        return None  # "0 0": two numbers, not one
    s = squash(text)
    if not s:
        return None
    unit = None
    if not _NUM_RE.match(s):
        m = _UNIT_NUM_RE.match(s)
        if not m:
            return None
        s, unit = m.group(1), m.group(2)
    s = s.replace(",", "").replace("−", "-").replace("–", "-")
    if s.startswith("+"):
        s = s[1:]
    if "." in s:
        value: int | float = float(s)
        if value == int(value) and not s.split(".")[1].strip("0"):
            value = int(value)
    else:
        value = int(s)
    return Number(value, unit)


def is_blank(text: str) -> bool:
    return not squash(text)


def is_dash(text: str) -> bool:
    return squash(text) in DASHES
