"""The daemon runs press sources on their own schedule (a real `kommunvakt run` process)."""

from __future__ import annotations

import json
import signal
import time
from pathlib import Path

import pytest

from tests.support.cli import kommunvakt, start_kommunvakt
from tests.support.newsroom import SEED_DECLINES
from tests.support.press import PressSource, press_config
from tests.support.smtp import SmtpSink

pytestmark = pytest.mark.slow


def status(config: Path) -> dict:
    result = kommunvakt(config, "status", "--sources", "--json", timeout=60)
    return json.loads(result.stdout) if result.returncode == 0 else {}


def test_the_daemon_crawls_press_sources_and_alerts(tmp_path, newsroom):
    room, server = newsroom
    with SmtpSink() as smtp:
        source = PressSource("press-svt", [room.feed_url("svt-rss-utf8.xml")], "SVT Nyheter", every="10s")
        config = press_config(tmp_path, f"sqlite:///{tmp_path / 'kommunvakt.db'}", [source],
                              daemon={"dispatch_every_s": 1, "shutdown_grace_s": 5},
                              targets=({"url": smtp.url(), "language": "en"},))
        daemon = start_kommunvakt(config, "run")
        try:
            deadline = time.monotonic() + 120
            while time.monotonic() < deadline and len(smtp.messages) < len(SEED_DECLINES) + 2:
                time.sleep(0.5)
        finally:
            daemon.send_signal(signal.SIGTERM)
            output = daemon.communicate(timeout=60)[0]
        assert daemon.returncode == 0, output
        assert len(smtp.messages) == len(SEED_DECLINES) + 2, output  # the seed's twelve, Umeå and Skellefteå
        (svt,) = status(config)["sources"]
        assert svt["source"] == "press-svt" and svt["last_outcome"] == "ok"
        assert server.requests("/feeds/svt-rss-utf8.xml") >= 1
