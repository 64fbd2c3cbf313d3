"""Outcome of one fetch: ok | not_modified | blocked | gone | error | skipped, with a reason.
WAF challenges are recognised and recorded, never solved."""

from __future__ import annotations

import re
from dataclasses import dataclass

OUTCOMES = ("ok", "not_modified", "blocked", "gone", "error", "skipped")
CHALLENGE_STATUSES = (202, 403, 405, 412, 418, 468, 521, 567)
_VENDOR_MARKERS = (
    (re.compile(rb"\$_ts\s*=|\$_ts\.|_\$[a-zA-Z]{2}\s*=|FSSBBIl1UgzbN7N"), "Ruishu (瑞数) $_ts JS challenge"),
    (
        re.compile(rb"__jsl_clearance|_jsl_clearance_s|['\"]jsl['\"]\)?\s*\+\s*\(?['\"]_clearance"),
        "Jiasule (加速乐) __jsl_clearance JS challenge",
    ),
    (re.compile(rb"EdgeOne|edgeone|TencentEdgeOne|eo_captcha"), "Tencent EdgeOne challenge"),
)
_GENERIC_MARKERS = (
    (re.compile(rb"_0x[0-9a-f]{4,}|document\.cookie\s*="), "JavaScript cookie challenge"),
    (re.compile(rb"captcha|\xe9\xaa\x8c\xe8\xaf\x81\xe7\xa0\x81|slider", re.I), "CAPTCHA page"),
)


@dataclass(frozen=True)
class Outcome:
    outcome: str
    reason: str | None = None
    retry_once: bool = False  # a plain Set-Cookie challenge: one retry with the cookie


def challenge(status: int, headers: dict[str, str], body: bytes) -> Outcome | None:
    """A WAF/JS-cookie challenge response, or None."""
    head = body[:65536]
    server = (headers.get("server") or "").lower()
    if status not in CHALLENGE_STATUSES:
        return None
    for rx, label in _VENDOR_MARKERS:
        if rx.search(head):
            return Outcome("blocked", f"{label} (HTTP {status})")
    if "__jsluid" in (headers.get("set-cookie") or "") or "jsl" in server:
        return Outcome("blocked", f"Jiasule (加速乐) __jsl_clearance JS challenge (HTTP {status})")
    if "edgeone" in server:
        return Outcome("blocked", f"Tencent EdgeOne challenge (server {headers.get('server')!r}, HTTP {status})")
    for rx, label in _GENERIC_MARKERS:
        if rx.search(head):
            return Outcome("blocked", f"{label} (HTTP {status})")
    if status in (412, 521) and headers.get("set-cookie"):
        return Outcome("blocked", f"plain Set-Cookie challenge (HTTP {status})", retry_once=True)
    if status in (412, 521):
        return Outcome("blocked", f"challenge page without a known marker (HTTP {status})")
    return None


def for_status(status: int) -> Outcome:
    if status == 304:
        return Outcome("not_modified")
    if status == 410:
        return Outcome("gone", "HTTP 410")
    if 200 <= status < 300:
        return Outcome("ok")
    if 300 <= status < 400:
        return Outcome("error", f"HTTP {status} redirect not followed")
    return Outcome("error", f"HTTP {status}")


def for_response(kind: str, status: int, headers, body: bytes, fmt: str, not_modified: bool = False) -> Outcome:
    """The outcome of a response: a 304 answered from the store, a challenge, its status; robots.txt
    that is missing allows everything; a report file that is an HTML page or empty is an error."""
    if not_modified:
        return Outcome("not_modified")
    low = {k.decode("latin-1").lower(): b", ".join(headers.getlist(k)).decode("latin-1") for k in headers.keys()}
    out = challenge(status, low, body) or for_status(status)
    if status == 304:  # a 304 we did not ask for
        out = Outcome("error", "HTTP 304 without a stored copy")
    if kind == "robots" and status in (404, 410):
        out = Outcome("ok", f"no robots.txt (HTTP {status}): every path allowed")
    if kind == "attachment" and out.outcome == "ok" and fmt == "html":
        out = Outcome("error", "expected a document file, got an HTML page")
    if kind == "attachment" and out.outcome == "ok" and fmt == "empty":
        out = Outcome("error", "empty body")
    return out


def for_exception(exc: BaseException, timeout_s: float | None = None, maxsize: int | None = None) -> Outcome:
    """Map a download failure to an outcome."""
    name = type(exc).__name__
    msg = str(exc).strip()
    low = msg.lower()
    if getattr(exc, "gk_outcome", None):
        return Outcome(exc.gk_outcome, msg or None)
    if name == "IgnoreRequest" and "max redirections" in low:
        return Outcome("error", f"redirect loop or too many redirects: {msg}")
    if "max size" in low or "maxsize" in low:
        return Outcome("error", f"too_large: {msg}")
    if name == "DownloadCancelledError" and not msg:
        # Scrapy cancels a streamed body silently once it passes DOWNLOAD_MAXSIZE
        return Outcome("error", f"too_large: body passed the download cap{f' of {maxsize} bytes' if maxsize else ''}")
    if "robots.txt" in low:
        return Outcome("skipped", "robots.txt disallows this path")
    if "timeout" in name.lower() or "timed out" in low or "took longer than" in low:
        return Outcome("error", f"timeout{f' after {timeout_s:g}s' if timeout_s else ''}: {msg or name}")
    if name == "IgnoreRequest":
        return Outcome("skipped", msg or "ignored")
    if name == "ResponseDataLossError":
        return Outcome("error", "connection lost: the body ended before its announced length (data loss)")
    lost = _connection_lost(exc)
    if lost:
        return Outcome("error", f"connection lost: {lost}")
    if name == "HttpError":
        return Outcome("error", msg or "HTTP error")
    return Outcome("error", f"{name}: {msg}" if msg else name)


def _connection_lost(exc: BaseException) -> str | None:
    """The reasons of a dropped or reset connection (Twisted's ConnectionLost / ConnectionDone, also
    wrapped in a ResponseFailed that Scrapy turns into DownloadFailedError), or None."""
    inner = exc.__cause__ if exc.__cause__ is not None else exc
    failures = getattr(inner, "reasons", None)
    errors = [f.value for f in failures if hasattr(f, "value")] if failures else [inner]
    named = [e for e in errors if type(e).__name__ in ("ConnectionLost", "ConnectionDone", "ConnectionAborted")]
    if not named:
        return None
    return "; ".join(dict.fromkeys(f"{type(e).__name__}: {str(e).strip() or 'closed'}" for e in named))
