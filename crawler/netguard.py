"""Refuse requests to hosts outside ``allowed_domains`` and, after DNS resolution, to private,
loopback and link-local addresses (unless the sources file allows them)."""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

from scrapy.exceptions import IgnoreRequest
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet.threads import deferToThread

from .sources import host_allowed


class Refused(IgnoreRequest):
    """A request the crawler will not make; recorded as outcome ``skipped``."""

    gk_outcome = "skipped"


def private_reason(ip: str) -> str | None:
    addr = ipaddress.ip_address(ip)
    if isinstance(addr, ipaddress.IPv6Address) and addr.ipv4_mapped:
        addr = addr.ipv4_mapped
    for attr, label in (
        ("is_loopback", "loopback"),
        ("is_link_local", "link-local"),
        ("is_private", "private"),
        ("is_multicast", "multicast"),
        ("is_unspecified", "unspecified"),
        ("is_reserved", "reserved"),
    ):
        if getattr(addr, attr):
            return label
    return None


def resolve(host: str) -> list[str]:
    try:
        ipaddress.ip_address(host)
        return [host]
    except ValueError:
        pass
    infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    return sorted({info[4][0] for info in infos})


class NetGuardMiddleware:
    """Downloader middleware (in place of Scrapy's OffsiteMiddleware)."""

    def __init__(self, crawler):
        self.crawler = crawler
        self._verdicts: dict[str, str | None] = {}

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    async def process_request(self, request):
        spider = self.crawler.spider
        domains = tuple(getattr(spider, "allowed_domains", None) or ())
        if domains and not host_allowed(request.url, domains):
            self.crawler.stats.inc_value("gongkai/refused/offsite")
            raise Refused(f"off-site: host {urlsplit(request.url).netloc} is not in allowed_domains")
        if getattr(spider, "allow_private_addresses", False):
            return None
        host = (urlsplit(request.url).hostname or "").lower()
        if host not in self._verdicts:
            self._verdicts[host] = await self._check(host)
        verdict = self._verdicts[host]
        if verdict:
            self.crawler.stats.inc_value("gongkai/refused/private_address")
            raise Refused(verdict)
        return None

    async def _check(self, host: str) -> str | None:
        try:
            addrs = await maybe_deferred_to_future(deferToThread(resolve, host))
        except (OSError, UnicodeError) as exc:
            return None if isinstance(exc, socket.gaierror) else f"cannot resolve {host}: {exc}"
        for ip in addrs:
            label = private_reason(ip)
            if label:
                return (
                    f"refused: {host} resolves to {label} address {ip} "
                    "(set allow_private_addresses: true in the sources file to allow)"
                )
        return None
