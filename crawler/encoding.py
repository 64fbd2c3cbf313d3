"""Choose the text encoding of an HTML page: GB-family names widen to GB18030, undeclared pages
are sniffed (UTF-8, then GB18030) instead of Scrapy's cp1252 fallback."""

from __future__ import annotations

import codecs
import re

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_:.-]+)""", re.I)
_GB_NAMES = {
    "gb2312",
    "gbk",
    "gb_2312-80",
    "x-gbk",
    "cp936",
    "ms936",
    "windows-936",
    "euc-cn",
    "csgb2312",
    "chinese",
    "iso-ir-58",
    "gb18030",
    "hz-gb-2312",
}
_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))


def canonical(name: str | None) -> str | None:
    """A Python codec name for a declared charset (GB family → gb18030), or None if unknown."""
    if not name:
        return None
    n = name.strip().strip("\"'").lower()
    if n in _GB_NAMES:
        return "gb18030"
    try:
        return codecs.lookup(n).name
    except LookupError:
        return None


def header_charset(content_type: str | None) -> str | None:
    m = re.search(r"charset\s*=\s*[\"']?([A-Za-z0-9_:.-]+)", content_type or "", re.I)
    return m.group(1) if m else None


def meta_charset(body: bytes) -> str | None:
    m = _META_CHARSET.search(body[:4096])
    return m.group(1).decode("ascii", "replace") if m else None


def choose_encoding(body: bytes, content_type: str | None = None) -> tuple[str, str]:
    """Return (encoding, how) with how one of bom|header|meta|sniffed."""
    for bom, enc in _BOMS:
        if body.startswith(bom):
            return enc, "bom"
    for how, declared in (("header", header_charset(content_type)), ("meta", meta_charset(body))):
        enc = canonical(declared)
        if enc:
            if enc in ("latin-1", "iso8859-1", "cp1252", "ascii") and not _decodes(body, enc):
                continue
            if enc == "utf-8" and not _decodes(body, "utf-8"):
                # a page that says UTF-8 but is GB-encoded: trust the bytes
                if _decodes(body, "gb18030"):
                    return "gb18030", "sniffed"
            if enc in ("latin-1", "iso8859-1", "cp1252", "ascii") and _has_high_bytes(body):
                sniffed = _sniff(body)
                if sniffed:
                    return sniffed, "sniffed"
            return enc, how
    return _sniff(body) or "utf-8", "sniffed"


def _sniff(body: bytes) -> str | None:
    if _decodes(body, "utf-8"):
        return "utf-8"
    if _decodes(body, "gb18030"):
        return "gb18030"
    try:
        from charset_normalizer import from_bytes
    except ImportError:  # pragma: no cover - an optional helper: without it, no guess
        return None
    best = from_bytes(body[:65536]).best()
    if best is not None:
        return canonical(best.encoding) or best.encoding
    return None


def _decodes(body: bytes, enc: str) -> bool:
    try:
        body.decode(enc)
        return True
    except UnicodeDecodeError:
        # tolerate a single broken multi-byte sequence at the very end (truncated bodies)
        try:
            body[:-4].decode(enc)
            return len(body) > 4
        except UnicodeDecodeError:
            return False
    except LookupError:
        return False


def _has_high_bytes(body: bytes) -> bool:
    return any(b >= 0x80 for b in body[:65536])
