"""The address check where it counts: when Twisted connects.

crawler.middlewares.addresses refuses a request whose host resolves to a private address, but Twisted
resolves the name again when it connects: a host that answered with a public address the first time and a
loopback or private one the second (DNS rebinding) would slip through.  This resolver, installed in the
crawl process (Scrapy's ``TWISTED_DNS_RESOLVER``), wraps the reactor's own and passes on only public
addresses, so the address checked is the address connected to.  A name left with no address fails to
resolve; why is kept (:func:`refusal`) for crawler.failures to say so.  With ``allow_private_addresses``
(tests serve fixtures from 127.0.0.1) every address passes.

The operator's egress proxy (``http_proxy``/``https_proxy``, which Scrapy's HttpProxyMiddleware uses) may
well be on a private address: its host passes.  Through a proxy, the proxy resolves the target name, and
the request-time check is the one that applies.
"""

from __future__ import annotations

import ipaddress
import urllib.request
from collections.abc import Iterable, Sequence
from typing import Any
from urllib.parse import urlsplit

from twisted.internet.interfaces import IAddress, IHostnameResolver, IHostResolution, IResolutionReceiver
from zope.interface import implementer, provider

from crawler.middlewares.addresses import non_public_kind

ALLOW_SETTING = "KOMMUNVAKT_ALLOW_PRIVATE_ADDRESSES"
_REFUSALS: dict[str, str] = {}  # host -> why its addresses were refused; the process has one resolver


def refusal(host: str) -> str | None:
    """Why the last connection to `host` was refused by its address, if it was."""
    return _REFUSALS.get(host.lower())


@implementer(IHostnameResolver)
class PublicAddressResolver:
    def __init__(self, reactor: Any, allow_private: bool, original: Any = None, proxies: Iterable[str] = ()):
        self.reactor = reactor
        self.allow_private = allow_private
        self.original = original if original is not None else reactor.nameResolver
        self.proxy_hosts = frozenset(host.lower() for host in proxies)

    @classmethod
    def from_crawler(cls, crawler: Any, reactor: Any) -> PublicAddressResolver:
        return cls(reactor, crawler.settings.getbool(ALLOW_SETTING), proxies=proxy_hosts())

    def install_on_reactor(self) -> None:
        self.reactor.installNameResolver(self)

    def resolveHostName(self, resolutionReceiver: IResolutionReceiver, hostName: str, portNumber: int = 0,
                        addressTypes: Sequence[type[IAddress]] | None = None,
                        transportSemantics: str = "TCP") -> IHostResolution:
        trusted = self.allow_private or hostName.lower() in self.proxy_hosts
        receiver = resolutionReceiver if trusted else _PublicOnly(resolutionReceiver, hostName)
        return self.original.resolveHostName(receiver, hostName, portNumber, addressTypes, transportSemantics)


def proxy_hosts() -> set[str]:
    """The hosts of the proxies Scrapy's HttpProxyMiddleware takes from the environment."""
    return {host for url in urllib.request.getproxies().values() if (host := urlsplit(url).hostname)}


@provider(IResolutionReceiver)
class _PublicOnly:
    """Passes on the public addresses of `host`; notes the others."""

    def __init__(self, receiver: IResolutionReceiver, host: str):
        self.receiver = receiver
        self.host = host
        self.passed = 0
        self.refused: list[str] = []

    def resolutionBegan(self, resolution: IHostResolution) -> None:
        self.receiver.resolutionBegan(resolution)

    def addressResolved(self, address: IAddress) -> None:
        text = str(getattr(address, "host", ""))
        kind = _kind(text)
        if kind is None:
            self.passed += 1
            self.receiver.addressResolved(address)
        else:
            self.refused.append(f"a {kind} address ({text})")

    def resolutionComplete(self) -> None:
        if self.refused and not self.passed:
            _REFUSALS[self.host.lower()] = f"{self.host} resolved to {', '.join(self.refused)} when connecting"
        elif self.passed:
            _REFUSALS.pop(self.host.lower(), None)
        self.receiver.resolutionComplete()


def _kind(text: str) -> str | None:
    try:
        return non_public_kind(ipaddress.ip_address(text.split("%", 1)[0]))
    except ValueError:
        return "unreadable"
