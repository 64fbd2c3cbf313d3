"""A threaded HTTP server on 127.0.0.1 for sample portals: a static directory (with ETag and
Last-Modified, answering conditional GETs with 304) plus programmable routes for the traps real
portals set (WAF challenges, redirects, 404s, meta refreshes, hanging, dripping and huge responses,
connection resets, robots.txt, Hanweb's POST data proxy, gkmlpt's JSON API). Use as a context manager returning the base URL."""

from __future__ import annotations

import hashlib
import json
import mimetypes
import socket
import struct
import threading
import time
from dataclasses import dataclass
from email.utils import formatdate, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Callable, Iterable
from urllib.parse import parse_qs, quote, unquote, urlsplit


@dataclass(frozen=True)
class Req:
    method: str
    path: str
    query: str
    headers: dict
    body: bytes = b""

    @property
    def args(self) -> dict[str, str]:
        return {k: v[0] for k, v in parse_qs(self.query, keep_blank_values=True).items()}

    @property
    def form(self) -> dict[str, str]:
        return {k: v[0] for k, v in parse_qs(self.body.decode("utf-8", "replace"), keep_blank_values=True).items()}

    def cookie(self, name: str) -> str | None:
        for part in self.headers.get("cookie", "").split(";"):
            k, _, v = part.strip().partition("=")
            if k == name:
                return v
        return None


@dataclass(frozen=True)
class Reply:
    status: int = 200
    body: bytes = b""
    headers: tuple[tuple[str, str], ...] = ()
    delay_s: float = 0.0  # sleep before answering (a slow or hanging server)
    stream: Callable[[], Iterable[bytes]] | None = None  # body produced lazily (huge responses)
    content_length: int | None = None  # announced length for streams (None = until close)
    reset: bool = False  # reset the connection (TCP RST) after sending what there is (nothing, or the body)


Route = Callable[[Req], Reply]


class PortalServer:
    """``with PortalServer(root, routes) as base_url: ...``; ``.requests`` logs every request."""

    def __init__(
        self,
        root: str | Path | None = None,
        routes: dict[str, Route] | None = None,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        robots_txt: str | None = None,
    ):
        self.root = Path(root) if root is not None else None
        self.routes: dict[str, Route] = dict(routes or {})
        if robots_txt is not None:
            self.routes["/robots.txt"] = text(robots_txt, "text/plain; charset=utf-8")
        self.host, self.port = host, port
        self.requests: list[Req] = []
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # ---- lifecycle
    @property
    def base_url(self) -> str:
        assert self._httpd is not None, "server not started"
        return f"http://{self.host}:{self._httpd.server_address[1]}"

    def start(self) -> str:
        server = self

        class Handler(_Handler):
            portal = server

        self._httpd = ThreadingHTTPServer((self.host, self.port), Handler)
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
        self._thread.start()
        return self.base_url

    def stop(self) -> None:
        self._stop.set()
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> str:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    # ---- routes and log
    def route(self, path: str, handler: Route, method: str | None = None) -> None:
        self.routes[f"{method.upper()} {path}" if method else path] = handler

    def log(self, req: Req) -> None:
        with self._lock:
            self.requests.append(req)

    def paths(self) -> list[str]:
        with self._lock:
            return [r.path for r in self.requests]

    def sleep(self, seconds: float) -> None:
        self._stop.wait(seconds)

    def handle(self, req: Req) -> Reply:
        for key in (f"{req.method} {req.path}", req.path):
            if key in self.routes:
                return self.routes[key](req)
        if self.root is not None and req.method in ("GET", "HEAD"):
            return static_file(self.root, req)
        return Reply(404, b"<html><body><h1>404 Not Found</h1></body></html>", (("Content-Type", "text/html"),))


class _Handler(BaseHTTPRequestHandler):
    portal: PortalServer
    server_version = "SamplePortal/1.0"

    def log_message(self, *args) -> None:  # keep test output quiet
        pass

    def _serve(self) -> None:
        parts = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        req = Req(self.command, unquote(parts.path), parts.query, {k.lower(): v for k, v in self.headers.items()}, body)
        self.portal.log(req)
        try:
            reply = self.portal.handle(req)
        except Exception as exc:  # noqa: BLE001 - a broken route is a 500, not a dead server
            reply = Reply(500, f"route error: {exc}".encode(), (("Content-Type", "text/plain"),))
        if reply.delay_s:
            self.portal.sleep(reply.delay_s)
        if reply.reset:
            self._reset(reply)
            return
        try:
            self.send_response(reply.status)
            names = {k.lower() for k, _ in reply.headers}
            for k, v in reply.headers:
                self.send_header(k, v)
            if reply.stream is None:
                if "content-length" not in names:
                    self.send_header("Content-Length", str(len(reply.body)))
                self.end_headers()
                if self.command != "HEAD" and reply.status not in (204, 304):
                    self.wfile.write(reply.body)
            else:
                if reply.content_length is not None:
                    self.send_header("Content-Length", str(reply.content_length))
                self.send_header("Connection", "close")
                self.end_headers()
                for chunk in reply.stream():
                    if self.portal._stop.is_set():
                        break
                    self.wfile.write(chunk)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def _reset(self, reply: Reply) -> None:
        """Send the status line, headers and body (when there is a body), then a TCP RST."""
        try:
            if reply.body:
                self.send_response(reply.status)
                for k, v in reply.headers:
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(reply.body)
                self.wfile.flush()
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        except OSError:
            pass
        self.close_connection = True
        self.connection.close()

    do_GET = do_POST = do_HEAD = _serve


# ---- static files with validators
def _etag(data: bytes) -> str:
    return '"' + hashlib.sha1(data).hexdigest()[:20] + '"'


def conditional(
    req: Req, data: bytes, mtime: float, content_type: str, extra: tuple[tuple[str, str], ...] = ()
) -> Reply:
    """200 with ETag/Last-Modified, or 304 when the request's validators match."""
    etag, lastmod = _etag(data), formatdate(int(mtime), usegmt=True)
    headers = (("ETag", etag), ("Last-Modified", lastmod))
    inm, ims = req.headers.get("if-none-match"), req.headers.get("if-modified-since")
    if inm is not None:
        if etag in [t.strip() for t in inm.split(",")] or inm.strip() == "*":
            return Reply(304, b"", headers)
    elif ims:
        try:
            if int(parsedate_to_datetime(ims).timestamp()) >= int(mtime):
                return Reply(304, b"", headers)
        except (TypeError, ValueError):
            pass
    return Reply(200, data, (("Content-Type", content_type), *headers, *extra))


def static_file(root: Path, req: Req) -> Reply:
    rel = req.path.lstrip("/")
    target = (root / rel).resolve()
    if root.resolve() not in target.parents and target != root.resolve():
        return Reply(403, b"forbidden")
    if target.is_dir():
        for name in ("index.html", "index.htm", "index.shtml"):
            if (target / name).is_file():
                target = target / name
                break
    if not target.is_file():
        return Reply(404, b"<html><body><h1>404 Not Found</h1></body></html>", (("Content-Type", "text/html"),))
    data = target.read_bytes()
    ctype = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
    if target.suffix.lower() in (".html", ".htm", ".shtml"):
        ctype = "text/html"  # no charset: pages declare theirs (or, as a trap, do not)
    return conditional(req, data, target.stat().st_mtime, ctype)


# ---- route factories
def text(body: str, content_type: str = "text/html; charset=utf-8", status: int = 200) -> Route:
    data = body.encode("utf-8")
    return lambda req: Reply(status, data, (("Content-Type", content_type),))


def raw(
    data: bytes,
    content_type: str = "application/octet-stream",
    status: int = 200,
    headers: tuple[tuple[str, str], ...] = (),
) -> Route:
    return lambda req: Reply(status, data, (("Content-Type", content_type), *headers))


def file_download(
    data: bytes, filename: str, content_type: str = "application/octet-stream", mtime: float = 1_700_000_000.0
) -> Route:
    """A download.jsp-style response: bytes, Content-Disposition with an RFC 5987 UTF-8 name, validators."""
    cd = f"attachment; filename*=UTF-8''{quote(filename)}"
    return lambda req: conditional(req, data, mtime, content_type, (("Content-Disposition", cd),))


def redirect(to: str, status: int = 302) -> Route:
    return lambda req: Reply(status, b"", (("Location", to),))


def status(code: int, body: bytes = b"", content_type: str = "text/html") -> Route:
    return lambda req: Reply(
        code, body or f"<html><body>HTTP {code}</body></html>".encode(), (("Content-Type", content_type),)
    )


def not_found() -> Route:
    return status(404, b"<html><head><title>404</title></head><body>Not Found</body></html>")


def meta_refresh(to: str, delay: int = 0) -> Route:
    page = (
        f'<html><head><meta charset="utf-8"><meta http-equiv="refresh" content="{delay};url={to}">'
        f"<title>该页面已删除</title></head><body>该信息已删除，正在返回上级栏目…</body></html>"
    )
    return text(page)


CHALLENGES = {
    # Ruishu (瑞数): HTTP 412, a $_ts bootstrap script and cookies the script must compute
    "ruishu": (
        412,
        b'<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8">'
        b"<script type=\"text/javascript\">$_ts=window['$_ts'];if(!$_ts)$_ts={};$_ts.nsd=53413;"
        b'$_ts.cd="qxyrrrAlWGqqqEqaq";</script><script src="/abcd/EaKmRHdh.js" r="m"></script>'
        b"</head><body></body></html>",
        (("Set-Cookie", "NfBCSins2OywO=60abc; Path=/"),),
    ),
    # Jiasule (加速乐): HTTP 521 with a script that sets __jsl_clearance
    "jsl": (
        521,
        b"<script>document.cookie=('_')+('_')+('jsl')+('_clearance_s')+('=')+('1700000000.1|0|abc')"
        b";location.href=location.pathname+location.search</script>",
        (("Set-Cookie", "__jsluid_h=abc123; Path=/; HttpOnly"),),
    ),
    # Tencent EdgeOne: a challenge page naming itself
    "edgeone": (
        412,
        b"<html><head><title>EdgeOne</title></head><body>Checking your browser (TencentEdgeOne)"
        b'<script src="/eo_captcha.js"></script></body></html>',
        (("Server", "EdgeOne"),),
    ),
}


def challenge(kind: str = "ruishu") -> Route:
    code, body, headers = CHALLENGES[kind]
    return lambda req: Reply(code, body, (("Content-Type", "text/html"), *headers))


def cookie_gate(inner: Route, name: str = "waf_ok", value: str = "1", code: int = 412) -> Route:
    """A plain Set-Cookie challenge: without the cookie, ``code`` and Set-Cookie; with it, ``inner``."""

    def route(req: Req) -> Reply:
        if req.cookie(name) == value:
            return inner(req)
        return Reply(
            code,
            b"<html><body>Please enable cookies.</body></html>",
            (("Content-Type", "text/html"), ("Set-Cookie", f"{name}={value}; Path=/")),
        )

    return route


def hang(seconds: float = 30.0) -> Route:
    return lambda req: Reply(200, b"late", (("Content-Type", "application/pdf"),), delay_s=seconds)


def huge(size: int = 2 * 1024**3, announce_length: bool = False, chunk: int = 64 * 1024) -> Route:
    """A body of ``size`` zero bytes produced lazily (never held in memory)."""

    def gen():
        block = b"%PDF-1.4\n" + b"\0" * (chunk - 9)
        sent = 0
        while sent < size:
            piece = block[: min(chunk, size - sent)]
            sent += len(piece)
            yield piece
            block = b"\0" * chunk

    return lambda req: Reply(
        200, b"", (("Content-Type", "application/pdf"),), stream=gen, content_length=size if announce_length else None
    )


def reset(partial: bytes = b"", content_type: str = "application/pdf", announce: int | None = None) -> Route:
    """The connection is reset (RST): before any answer, or after the headers and ``partial`` body bytes
    (announced as ``announce`` bytes with Content-Length)."""
    headers = (("Content-Type", content_type),) + ((("Content-Length", str(announce)),) if announce else ())
    return lambda req: Reply(200, partial, headers, reset=True)


def drip(data: bytes, chunk: int = 64, interval_s: float = 0.5, content_type: str = "application/pdf") -> Route:
    """A slow drip: ``data`` (its length announced) in ``chunk``-byte pieces, one every ``interval_s``."""

    def gen():
        for i in range(0, len(data), chunk):
            if i:
                time.sleep(interval_s)
            yield data[i : i + chunk]

    return lambda req: Reply(200, b"", (("Content-Type", content_type),), stream=gen, content_length=len(data))


def json_api(fn: Callable[[Req], object]) -> Route:
    def route(req: Req) -> Reply:
        data = json.dumps(fn(req), ensure_ascii=False).encode("utf-8")
        return Reply(200, data, (("Content-Type", "application/json;charset=UTF-8"),))

    return route


def slow(inner: Route, seconds: float) -> Route:
    def route(req: Req) -> Reply:
        r = inner(req)
        return Reply(r.status, r.body, r.headers, delay_s=seconds, stream=r.stream, content_length=r.content_length)

    return route


def robots(disallow: Iterable[str] = (), crawl_delay: float | None = None) -> Route:
    lines = ["User-agent: *", *(f"Disallow: {p}" for p in disallow)]
    if crawl_delay is not None:
        lines.append(f"Crawl-delay: {crawl_delay:g}")
    return text("\n".join(lines) + "\n", "text/plain; charset=utf-8")
