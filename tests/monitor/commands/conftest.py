"""A Vaggeryd site on loopback and a mailbox, for the commands' whole-path tests."""

from __future__ import annotations

import pytest

from tests.support.httpserver import FixtureServer
from tests.support.sites import SiteVisionSite
from tests.support.smtp import SmtpSink


@pytest.fixture
def site(tmp_path):
    site = SiteVisionSite(tmp_path / "site").build()
    with FixtureServer(site.root) as server:
        yield site, server


@pytest.fixture
def smtp():
    with SmtpSink() as sink:
        yield sink
