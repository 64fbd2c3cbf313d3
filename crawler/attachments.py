"""Which links on an article page are attachments, and what an attachment is called."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, unquote, unquote_to_bytes, urlsplit

from .htmlmeta import Link

DOC_EXTS = ("pdf", "doc", "docx", "wps", "ofd", "xls", "xlsx", "et", "rtf", "txt")
_EXT_RE = re.compile(r"\.(" + "|".join(DOC_EXTS) + r")$", re.I)
_DOWNLOAD_RE = re.compile(
    r"(down(load)?file|download|filedown|downloadfile|attachdownload)\.(jsp|do|aspx?|php|action)$", re.I
)


def _has_doc_ext(s: str) -> bool:
    return bool(_EXT_RE.search((s or "").strip()))


def is_attachment(link: Link) -> bool:
    p = urlsplit(link.url)
    if _has_doc_ext(unquote(p.path)):
        return True
    if _DOWNLOAD_RE.search(p.path):
        return True
    if any(_has_doc_ext(v) for vals in parse_qs(p.query).values() for v in vals):
        return True
    return _has_doc_ext(link.text) or _has_doc_ext(link.title)


def _decode_bytes(raw: bytes) -> str:
    for enc in ("utf-8", "gb18030"):
        try:
            return raw.decode(enc)
        except UnicodeDecodeError:
            continue
    return raw.decode("latin-1")


def disposition_filename(cd: str | None) -> str | None:
    """The file name in a Content-Disposition header (RFC 5987 ``filename*``, quoted or bare;
    percent-encoded UTF-8 or GBK as servers send them)."""
    if not cd:
        return None
    m = re.search(r"filename\*\s*=\s*([\w-]+)?'[^']*'([^;]+)", cd, re.I)
    if m:
        charset = (m.group(1) or "utf-8").lower()
        raw = unquote_to_bytes(m.group(2).strip().strip('"'))
        try:
            return raw.decode("gb18030" if charset in ("gbk", "gb2312") else charset)
        except (LookupError, UnicodeDecodeError):
            return _decode_bytes(raw)
    m = re.search(r'filename\s*=\s*"([^"]*)"|filename\s*=\s*([^;]+)', cd, re.I)
    if not m:
        return None
    name = (m.group(1) if m.group(1) is not None else m.group(2)).strip()
    if "%" in name:
        name = _decode_bytes(unquote_to_bytes(name))
    return name or None


def filename_for(url: str, content_disposition: str | None, link_text: str = "") -> str:
    name = disposition_filename(content_disposition)
    if name:
        return name.replace("/", "_").replace("\\", "_")
    text = (link_text or "").strip()
    if _has_doc_ext(text):
        return text
    p = urlsplit(url)
    for vals in parse_qs(p.query).values():
        for v in vals:
            if _has_doc_ext(v):
                return v.rsplit("/", 1)[-1]
    base = unquote(p.path.rsplit("/", 1)[-1])
    return base or text or "attachment"
