"""`kommunvakt serve`: the published folder, read-only, loopback by default, strict CSP, nothing outside it."""

from __future__ import annotations

import http.client
import subprocess
import sys
from urllib.parse import urlsplit

import feedparser

from monitor.app.site.serve import CONTENT_SECURITY_POLICY
from tests.support.site_server import served


def request(base: str, method: str, path: str) -> http.client.HTTPResponse:
    parts = urlsplit(base)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    connection.request(method, path)  # the path is sent exactly as given, ".." and all
    response = connection.getresponse()
    response.body = response.read()
    connection.close()
    return response


def test_serves_the_site_on_loopback_with_a_strict_csp(published):
    with served(published.config_path) as base:
        assert urlsplit(base).hostname == "127.0.0.1"
        index = request(base, "GET", "/")
        assert index.status == 200
        assert index.getheader("Content-Type") == "text/html; charset=utf-8"
        assert index.getheader("Content-Security-Policy") == CONTENT_SECURITY_POLICY
        assert "script-src 'self'" in CONTENT_SECURITY_POLICY and "unsafe-inline" not in CONTENT_SECURITY_POLICY
        assert index.getheader("X-Content-Type-Options") == "nosniff"
        assert index.body == (published.site_dir / "index.html").read_bytes()
        feed = request(base, "GET", "/feeds/changes.atom")
        assert feed.getheader("Content-Type") == "application/atom+xml; charset=utf-8"
        assert len(feedparser.parse(feed.body).entries) == 4
        assert request(base, "GET", "/downloads/stances.csv").body.count(b"\n") == 291


def test_nothing_outside_the_folder_no_listings_no_writes(published):
    secret = published.config_path.parent / "data" / "kommunvakt.db"
    assert secret.exists()
    with served(published.config_path) as base:
        for path in ("/../kommunvakt.db", "/..%2fkommunvakt.db", "/%2e%2e/%2e%2e/kommunvakt.toml",
                     "/municipalities/../../kommunvakt.db", "/../../../../etc/passwd"):
            response = request(base, "GET", path)
            assert response.status == 404, path
            assert b"SQLite" not in response.body and b"root:" not in response.body
        assert request(base, "GET", "/municipalities/").status == 404  # no directory listing
        for method in ("POST", "PUT", "DELETE"):
            assert request(base, method, "/index.html").status == 501
        assert request(base, "HEAD", "/index.html").status == 200


def test_a_taken_port_is_a_clear_error(published):
    with served(published.config_path) as base:
        result = subprocess.run([sys.executable, "-m", "monitor.cli", "--config", str(published.config_path), "serve",
                                 "--port", str(urlsplit(base).port)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert f"cannot listen on 127.0.0.1:{urlsplit(base).port}" in result.stderr


def test_serve_without_a_published_site_says_what_to_do(world):
    result = subprocess.run([sys.executable, "-m", "monitor.cli", "--config", str(world.config_path), "serve",
                             "--port", "0"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert "run `kommunvakt publish`" in result.stderr


def test_a_new_build_is_served_at_once_without_a_restart(published):
    from monitor.app.service import open_service
    from monitor.app.site.publish import publish
    from monitor.domain import Stance
    from tests.support.readers_site import NOW, read_ok, record

    with served(published.config_path) as base:
        assert len(feedparser.parse(request(base, "GET", "/feeds/changes.atom").body).entries) == 4
        service = open_service(published.config)
        try:
            read_ok(service, "0180-protocols", NOW)
            record(service, "0180", Stance.UNKNOWN, Stance.DECLINED, "Stockholms stad avböjer mötet.", NOW,
                   title="Protokoll KS", status="announced")
            publish(service, now=NOW)
        finally:
            service.close()
        entries = feedparser.parse(request(base, "GET", "/feeds/changes.atom").body).entries
        assert [entry.title for entry in entries][0] == "Stockholm: okänd → avböjt"
        assert b"Stockholms stad avb" in request(base, "GET", "/municipalities/0180.html").body
