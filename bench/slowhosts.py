"""Many slow sample portals served by one process: one listening socket per loopback host, one
asyncio event loop (uvicorn, already installed with Prefect) answering each host with its
:class:`~gongkai.samples.server.PortalServer`'s routes after ``latency`` seconds.

Why not one ``PortalServer`` per host, as the tests do: each is a thread polling its socket ten times
a second inside the benchmark's own process. At 1,000 hosts that harness alone took 80 % system CPU
and a load average of 280 on 2 cores (measured 2026-12-07), so the benchmark measured itself. Here
the servers cost one process that sleeps in epoll, and no thread shares the run's GIL.

Only what the generated portals need is served: GET/HEAD/POST, a whole body, no streams or resets.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import socket
from typing import Any
from urllib.parse import unquote

from gongkai.samples.server import PortalServer, Req


def _app(portals: dict[tuple[str, int], PortalServer], latency: float) -> Any:
    async def app(scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return
        body = b""
        more = True
        while more:
            message = await receive()
            body += message.get("body", b"")
            more = message.get("more_body", False)
        portal = portals[tuple(scope["server"])]
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        req = Req(scope["method"], unquote(scope["path"]), scope["query_string"].decode("latin-1"), headers, body)
        reply = portal.handle(req)
        await asyncio.sleep(max(reply.delay_s, latency))
        names = {k.lower() for k, _ in reply.headers}
        out = [(k.encode("latin-1"), v.encode("latin-1")) for k, v in reply.headers]
        if "content-length" not in names:
            out.append((b"content-length", str(len(reply.body)).encode()))
        await send({"type": "http.response.start", "status": reply.status, "headers": out})
        sends_body = scope["method"] != "HEAD" and reply.status not in (204, 304)
        await send({"type": "http.response.body", "body": reply.body if sends_body else b""})

    return app


def _serve(socks: list[socket.socket], portals: dict[tuple[str, int], PortalServer], latency: float) -> None:
    import uvicorn

    config = uvicorn.Config(
        _app(portals, latency), log_level="warning", access_log=False, lifespan="off", http="h11", backlog=256
    )
    uvicorn.Server(config).run(sockets=socks)


class SlowHosts:
    """``with SlowHosts([(host, PortalServer), …], latency) as urls:`` the base URL of each portal,
    all served by one child process (forked, so the portals' routes need not be picklable)."""

    def __init__(self, portals: list[tuple[str, PortalServer]], latency: float = 1.0):
        self.portals, self.latency = portals, latency
        self._proc: multiprocessing.process.BaseProcess | None = None

    def __enter__(self) -> list[str]:
        socks, by_addr, urls = [], {}, []
        for host, portal in self.portals:
            sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.bind((host, 0))
            sock.listen(256)  # connections wait in the backlog until the child's loop accepts them
            port = sock.getsockname()[1]
            socks.append(sock)
            by_addr[(host, port)] = portal
            urls.append(f"http://{host}:{port}")
        self._proc = multiprocessing.get_context("fork").Process(
            target=_serve, args=(socks, by_addr, self.latency), daemon=True
        )
        self._proc.start()
        for sock in socks:  # the child holds them now
            sock.close()
        return urls

    def __exit__(self, *exc: object) -> None:
        if self._proc is not None:
            self._proc.terminate()
            self._proc.join(10)
