"""Refuse what a municipal crawl has no business fetching: other schemes and private networks.

Every request passes here, redirects and robots.txt included.  Hosts that resolve to loopback, private,
link-local or otherwise non-public addresses are refused unless ``allow_private_addresses`` is set
(tests serve fixtures from 127.0.0.1).
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections.abc import Callable
from urllib.parse import urlsplit

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[[str], list[str]]
ALLOWED_SCHEMES = ("http", "https")


def resolve(host: str) -> list[str]:
    """All addresses `host` resolves to; [] when it does not resolve (the download then says so)."""
    try:
        infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError, OSError):
        return []
    return sorted({str(info[4][0]) for info in infos})


def non_public_kind(address: Address) -> str | None:
    """'loopback', 'private', 'link-local', ... when the address is not on the public internet."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    for kind in ("loopback", "link_local", "private", "multicast", "reserved", "unspecified"):
        if getattr(address, f"is_{kind}"):
            return kind.replace("_", "-")
    return None if address.is_global else "non-public"


class PrivateAddressMiddleware:
    def __init__(self, allow_private: bool, resolver: Resolver = resolve):
        self.allow_private = allow_private
        self.resolver = resolver
        self._verdicts: dict[str, str | None] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> PrivateAddressMiddleware:
        return cls(crawler.settings.getbool("KOMMUNVAKT_ALLOW_PRIVATE_ADDRESSES"))

    async def process_request(self, request: Request) -> None:
        parts = urlsplit(request.url)
        if parts.scheme.lower() not in ALLOWED_SCHEMES:
            raise IgnoreRequest(f"refused: scheme {parts.scheme!r} is not http or https")
        if self.allow_private or not parts.hostname:
            return
        problem = await self._check(parts.hostname)
        if problem:
            raise IgnoreRequest(f"refused: {problem}; set [crawl] allow_private_addresses = true to allow it")

    async def _check(self, host: str) -> str | None:
        if host not in self._verdicts:
            addresses = await self._addresses(host)
            self._verdicts[host] = _verdict(host, addresses)
        return self._verdicts[host]

    async def _addresses(self, host: str) -> list[str]:
        literal = _literal(host)
        if literal is not None:
            return [literal]
        return await asyncio.get_running_loop().run_in_executor(None, self.resolver, host)


def _literal(host: str) -> str | None:
    try:
        return str(ipaddress.ip_address(host.strip("[]")))
    except ValueError:
        return None


def _verdict(host: str, addresses: list[str]) -> str | None:
    for text in addresses:
        kind = non_public_kind(ipaddress.ip_address(text.split("%", 1)[0]))
        if kind:
            return f"{host} is a {kind} address" if text == host else f"{host} resolves to a {kind} address ({text})"
    return None
