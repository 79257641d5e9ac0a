"""The private-address check at connect time (crawler.resolver): the address Twisted connects to is the one
checked, so a name that turns private after the request-time check (DNS rebinding) is still refused, with a
clear error.  `allow_private_addresses = true` lets loopback through, as the fixture servers need."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from twisted.internet.address import IPv4Address, IPv6Address
from twisted.internet.interfaces import IResolutionReceiver
from zope.interface import provider

from crawler.resolver import PublicAddressResolver, proxy_hosts, refusal
from tests.support.httpserver import FixtureServer

ROOT = Path(__file__).resolve().parents[2]
ANSWERS = {
    "rebound.example": ["127.0.0.1"],
    "intranet.example": ["10.1.2.3", "fd00::5"],
    "mixed.example": ["10.1.2.3", "93.184.215.14"],
    "public.example": ["93.184.215.14"],
}


class MappedResolver:
    """A name resolver with fixed answers (what a DNS server would say at connect time)."""

    def resolveHostName(self, receiver, hostName, portNumber=0, addressTypes=None, transportSemantics="TCP"):
        receiver.resolutionBegan(object())
        for text in ANSWERS.get(hostName, []):
            kind = IPv6Address if ":" in text else IPv4Address
            receiver.addressResolved(kind("TCP", text, portNumber))
        receiver.resolutionComplete()
        return receiver


@provider(IResolutionReceiver)
class Collected:
    def __init__(self):
        self.addresses, self.complete = [], False

    def resolutionBegan(self, resolution):
        pass

    def addressResolved(self, address):
        self.addresses.append(address.host)

    def resolutionComplete(self):
        self.complete = True


def resolved(host: str, allow_private: bool = False, proxies: tuple[str, ...] = ()) -> list[str]:
    collected = Collected()
    resolver = PublicAddressResolver(None, allow_private, original=MappedResolver(), proxies=proxies)
    resolver.resolveHostName(collected, host, 80)
    assert collected.complete
    return collected.addresses


def test_private_addresses_are_not_passed_on_and_the_refusal_is_kept() -> None:
    assert resolved("rebound.example") == []
    assert refusal("rebound.example") == "rebound.example resolved to a loopback address (127.0.0.1) when connecting"
    assert resolved("intranet.example") == []
    assert "a private address (10.1.2.3), a private address (fd00::5)" in refusal("intranet.example")


def test_public_addresses_pass_and_private_ones_beside_them_are_dropped() -> None:
    assert resolved("public.example") == ["93.184.215.14"]
    assert resolved("mixed.example") == ["93.184.215.14"] and refusal("mixed.example") is None


def test_allowed_private_addresses_pass() -> None:
    assert resolved("rebound.example", allow_private=True) == ["127.0.0.1"]


def test_the_operators_proxy_may_be_private(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("http_proxy", "http://intranet.example:3128")
    assert "intranet.example" in proxy_hosts()
    assert resolved("intranet.example", proxies=tuple(proxy_hosts())) == ["10.1.2.3", "fd00::5"]
    assert resolved("rebound.example", proxies=tuple(proxy_hosts())) == []


def probe(url: str, allow: bool) -> dict:
    done = subprocess.run([sys.executable, "-m", "tests.support.connect_probe", url, "allow" if allow else "deny"],
                          capture_output=True, text=True, cwd=ROOT, timeout=120)
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    assert len(lines) == 1, (done.stdout, done.stderr)
    return json.loads(lines[0])


@pytest.fixture
def server(tmp_path: Path):
    (tmp_path / "page.html").write_text("<html><body>Intern sida</body></html>", encoding="utf-8")
    with FixtureServer(tmp_path) as running:
        yield running


def test_a_name_that_resolves_to_loopback_at_connect_time_is_refused(server: FixtureServer) -> None:
    url = f"http://localhost:{server.port}/page.html"

    outcome = probe(url, allow=False)

    assert outcome["error"].startswith(f"{url}: refused at connect time: localhost resolved to a loopback address")
    assert outcome["error"].endswith("set [crawl] allow_private_addresses = true to allow it")
    assert server.requests("/page.html") == 0  # nothing reached the server


def test_with_private_addresses_allowed_loopback_is_connected_to(server: FixtureServer) -> None:
    assert probe(f"http://localhost:{server.port}/page.html", allow=True) == {"status": 200}
    assert server.requests("/page.html") == 1
