"""What a body is, and the response the spider gets for it: the format from the bytes
(``pipeline.sniff``), an HTML/text page decoded with the encoding ``choose_encoding`` picks (never
Scrapy's cp1252 fallback), a file kept as a plain ``Response`` even when served as text/html."""

from __future__ import annotations

from urllib.parse import urlsplit

from scrapy.http import HtmlResponse, Response, TextResponse

from pipeline.sniff import sniff

from .encoding import choose_encoding

PAGE_KINDS = ("home", "column", "list", "article", "other")


def header(headers, name: str) -> str | None:
    """A header as text (UTF-8, else GB18030, else latin-1), or None."""
    raw = headers.get(name)
    if raw is None:
        return None
    for enc in ("utf-8", "gb18030", "latin-1"):
        try:
            return raw.decode(enc)
        except UnicodeDecodeError:
            continue
    return None


def typed(response: Response, kind: str) -> tuple[Response, str, str | None]:
    """(the response to hand on, its format, the encoding of a page or None)."""
    body = response.body or b""
    if not body:
        return response, "empty", None
    fmt = sniff(body, urlsplit(response.url).path, header(response.headers, "Content-Disposition") or "")
    if kind in PAGE_KINDS and fmt in ("html", "txt"):
        encoding, _how = choose_encoding(body, header(response.headers, "Content-Type"))
        cls = HtmlResponse if fmt == "html" else TextResponse
        return response.replace(cls=cls, encoding=encoding), fmt, encoding
    if fmt not in ("html", "txt") and isinstance(response, TextResponse):
        # the bytes decide, not the Content-Type: a file served as text/html stays a file
        return (
            Response(
                url=response.url,
                status=response.status,
                headers=response.headers,
                body=response.body,
                flags=list(response.flags),
                request=response.request,
                certificate=response.certificate,
                ip_address=response.ip_address,
                protocol=response.protocol,
            ),
            fmt,
            None,
        )
    return response, fmt, None
