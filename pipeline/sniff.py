"""What a file is, from its bytes (never from its extension or Content-Type alone)."""

from __future__ import annotations

import io
import re
import struct
import zipfile

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
REPORT_FORMATS = ("pdf", "docx", "doc", "wps", "html", "txt")

MAX_SNIFF_MEMBERS = 10_000  # beyond this, zip parts are not listed (that costs memory), only searched
_EOCD = b"PK\x05\x06"
_EOCD64_LOCATOR = b"PK\x06\x07"
_MAX_ENTRY = 46 + 300  # bytes of one central-directory entry with a long name and extras
_HTML_RE = re.compile(rb"<\s*(!doctype\s+html|html|head|body|table|div|meta|p)[\s>/]", re.I)


def sniff(data: bytes, name: str = "", content_disposition: str = "") -> str:
    """Return one of pdf, docx, xlsx, pptx, ofd, zip, doc, wps, xls, ole, rtf, html, txt, png, jpeg,
    gif, tiff, empty, binary. ``name`` (file name from the URL or Content-Disposition) only breaks
    ties the bytes cannot: a Word 97 container is ``wps`` when the name says ``.wps``."""
    head = data[:8192]
    hint = (name or "").lower() + " " + (content_disposition or "").lower()
    if not head.strip() and not data.strip():
        return "empty"
    if b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        return _sniff_zip(data)
    if head.startswith(OLE_MAGIC):
        return _sniff_ole(data, hint)
    if head.startswith(b"{\\rtf"):
        return "rtf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "gif"
    if head.startswith((b"II*\x00", b"MM\x00*")):
        return "tiff"
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _sniff_utf16(head)
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if _HTML_RE.search(stripped[:4096]) and stripped[:1] == b"<":
        return "html"
    if _looks_like_text(head):
        if _HTML_RE.search(head):
            return "html"
        return "txt"
    return "binary"


def zip_directory(data: bytes) -> tuple[int, int] | None:
    """(parts, bytes of the central directory) that a zip's end record claims; None without one.
    zipfile reads the whole directory whatever the count says, so both bound its cost."""
    at = data.rfind(_EOCD, max(0, len(data) - (1 << 16) - 22))
    if at < 0 or at + 22 > len(data):
        return None
    count, size = struct.unpack_from("<HI", data, at + 10)
    loc = at - 20
    if (count == 0xFFFF or size == 0xFFFFFFFF) and loc >= 0 and data[loc : loc + 4] == _EOCD64_LOCATOR:
        off = struct.unpack_from("<Q", data, loc + 8)[0]
        if off + 56 <= len(data) and data[off : off + 4] == b"PK\x06\x06":
            count, size = struct.unpack_from("<QQ", data, off + 32)
    return count, size


def zip_too_big_to_list(data: bytes, max_members: int) -> str | None:
    """Why listing this zip would cost more than ``max_members`` parts ("12,002 parts", or a
    directory larger than that many entries with long names), else None."""
    found = zip_directory(data)
    if found is None:
        return None
    count, size = found
    if count > max_members:
        return f"{count:,} parts"
    if size > max_members * _MAX_ENTRY:
        return f"a {size:,}-byte part directory"
    return None


def _sniff_zip(data: bytes) -> str:
    if zip_too_big_to_list(data, MAX_SNIFF_MEMBERS) is not None:
        # too many to list cheaply: look for the part names in the raw bytes instead
        names = {
            n for n in ("word/document.xml", "xl/workbook.xml", "ppt/presentation.xml", "OFD.xml") if n.encode() in data
        }
    else:
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                names = set(zf.namelist())
        except (zipfile.BadZipFile, ValueError, OSError, EOFError):
            return "zip"
    if "word/document.xml" in names:
        return "docx"
    if "xl/workbook.xml" in names:
        return "xlsx"
    if "ppt/presentation.xml" in names:
        return "pptx"
    if "OFD.xml" in names or any(n.lower().endswith("ofd.xml") for n in names):
        return "ofd"
    return "zip"


def _sniff_ole(data: bytes, hint: str) -> str:
    # stream names are stored as UTF-16LE in the directory sectors
    if "WordDocument".encode("utf-16-le") in data:
        return "wps" if ".wps" in hint else "doc"
    if "Workbook".encode("utf-16-le") in data or "Book".encode("utf-16-le") in data:
        return "xls"
    if ".wps" in hint:
        return "wps"
    return "ole"


def _sniff_utf16(head: bytes) -> str:
    """Text saved as "Unicode" by Notepad or Word: UTF-16 with its byte order mark."""
    text = head[: len(head) // 2 * 2].decode("utf-16", errors="replace")
    bad = text.count("\ufffd") + sum(1 for ch in text if ord(ch) < 32 and ch not in "\t\r\n\f")
    if bad > 4 + len(text) // 500:
        return "binary"
    stripped = text.lstrip("\ufeff \t\r\n")
    if _HTML_RE.search(stripped[:4096].encode("utf-8", "replace")) and stripped[:1] == "<":
        return "html"
    return "txt"


def _looks_like_text(head: bytes) -> bool:
    if b"\x00" in head[:4096]:
        return False
    for enc in ("utf-8", "gb18030"):
        text = head.decode(enc, errors="replace")
        bad = text.count("\ufffd") + sum(1 for ch in text if ord(ch) < 32 and ch not in "\t\r\n\f")
        if bad <= 4 + len(text) // 500:
            return True
    return False
