"""Issue 4, the operator's side: hung crawls killed and recorded, `crawl --all`, `status --sources`, logs."""

from __future__ import annotations

import json
import os
import signal
import time
from pathlib import Path

import pytest

from monitor.logs import mask_secrets
from tests.support.cli import kommunvakt, start_kommunvakt, status_json
from tests.support.config import write_config as write_config_file
from tests.support.daemon import daemon_count
from tests.support.httpserver import FixtureServer
from tests.support.sites import SiteVisionSite

pytestmark = pytest.mark.slow
SECRET = "Hemligt-L0senord"


def write_config(tmp_path: Path, sources: dict[str, str], timeout: int = 1800, targets: tuple = (),
                 daemon: dict | None = None) -> Path:
    return write_config_file(tmp_path, crawl={"timeout_seconds": timeout},
                             daemon={"dispatch_every_s": 1, "shutdown_grace_s": 5, **(daemon or {})},
                             sources=[{"name": name, "municipality": name.split("-")[0], "start_urls": [url],
                                       "every": "2s"} for name, url in sources.items()],
                             targets=targets)


def crawl_children(config: Path) -> list[int]:
    """The pids of `python -m crawler.run` children started for this config."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            command = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if b"crawler.run" in command and str(config).encode() in command:
            found.append(int(entry.name))
    return found


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="needs /proc to find the crawl's child process")
def test_a_hung_crawl_is_killed_at_its_time_limit_and_recorded(tmp_path):
    site = SiteVisionSite(tmp_path / "site", municipality="Kiruna").build()
    with FixtureServer(site.root) as server:
        config = write_config(tmp_path, {"kiruna-protocols": server.url("/")}, timeout=6)
        crawl = start_kommunvakt(config, "crawl", "--municipality", "Kiruna")
        deadline = time.monotonic() + 30
        while not (children := crawl_children(config)) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert children, "the crawl child never started"
        for pid in children:
            os.kill(pid, signal.SIGSTOP)  # hung: it will never answer again on its own
        started = time.monotonic()
        output, _ = crawl.communicate(timeout=60)

    assert crawl.returncode == 1, output
    assert time.monotonic() - started < 20  # killed at the 6 s limit, not left hanging
    assert crawl_children(config) == []
    (source,) = status_json(config)["sources"]
    assert source["last_outcome"] == "killed"
    assert "time limit 6 s" in source["last_error"]


def test_crawl_all_crawls_every_source_and_status_sources_shows_each(tmp_path):
    kiruna = SiteVisionSite(tmp_path / "kiruna", municipality="Kiruna").build()
    vaggeryd = SiteVisionSite(tmp_path / "vaggeryd").build()
    with FixtureServer(kiruna.root) as kiruna_server, FixtureServer(vaggeryd.root) as vaggeryd_server:
        config = write_config(tmp_path, {"kiruna-protocols": kiruna_server.url("/"),
                                         "vaggeryd-protocols": vaggeryd_server.url("/"),
                                         "jokkmokk-protocols": "http://127.0.0.1:9/"})
        result = kommunvakt(config, "crawl", "--all")
        assert all(kiruna_server.requests(path) == 1 for path in kiruna.pdf_paths())
        assert all(vaggeryd_server.requests(path) == 1 for path in vaggeryd.pdf_paths())

    assert result.returncode == 1  # one of the three failed, and the command says so
    listed = kommunvakt(config, "status", "--sources")
    assert listed.returncode == 0, listed.stderr
    lines = {line.split()[0]: line for line in listed.stdout.splitlines()
             if line.split() and line.split()[0].endswith("-protocols")}
    assert set(lines) == {"kiruna-protocols", "vaggeryd-protocols", "jokkmokk-protocols"}
    assert "127.0.0.1:9" in lines["jokkmokk-protocols"] or "127.0.0.1:9" in listed.stdout
    sources = {s["source"]: s for s in json.loads(kommunvakt(config, "status", "--sources", "--json").stdout)["sources"]}
    assert sources["kiruna-protocols"]["last_outcome"] == "ok"
    assert sources["jokkmokk-protocols"]["last_outcome"] == "failed"
    assert sources["jokkmokk-protocols"]["consecutive_failures"] == 1


def test_json_logs_never_show_a_secret(tmp_path):
    target = {"name": "ops", "url": f"mailto://kv:{SECRET}@127.0.0.1:9?from=a@example.org&to=b@example.org",
              "events": ["source_health", "stance_change"]}
    config = write_config(tmp_path, {"kiruna-protocols": "http://127.0.0.1:9/"}, targets=(target,),
                          daemon={"failure_threshold": 1})
    daemon = start_kommunvakt(config, "--log-format", "json", "run")
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and _alert_attempts(tmp_path) < 1:
            time.sleep(0.3)
    finally:
        daemon.send_signal(signal.SIGTERM)
        output, _ = daemon.communicate(timeout=30)

    assert daemon.returncode == 0
    records = [json.loads(line) for line in output.splitlines() if line.strip()]  # every line is JSON
    assert any("ops" in r["message"] and "failed" in r["message"] for r in records)  # the failure was logged
    assert SECRET not in output


def _alert_attempts(tmp_path: Path) -> int:
    return daemon_count(tmp_path, "select coalesce(sum(attempts), 0) from alerts")


@pytest.mark.parametrize("text", [
    f"mailtos://kv:{SECRET}@smtp.example.org?to=b@example.org",
    f"postgresql+psycopg://kommunvakt:{SECRET}@db/kommunvakt",
    f"json://hooks.example.org/x?token={SECRET}&format=json",
])
def test_mask_secrets(text):
    masked = mask_secrets(f"cannot reach {text}: refused")
    assert SECRET not in masked and "****" in masked and masked.startswith("cannot reach ")


def test_a_document_that_cannot_be_downloaded_stays_visible_in_status_until_it_can(tmp_path):
    site = SiteVisionSite(tmp_path / "site", municipality="Kiruna").build()
    with FixtureServer(site.root) as server:
        config = write_config(tmp_path, {"kiruna-protocols": server.url("/")})
        broken = site.pdf_paths()[0]
        server.set_status(broken, 500)
        result = kommunvakt(config, "crawl", "--municipality", "Kiruna")
        assert result.returncode == 0, result.stdout + result.stderr  # the other documents were read

        (source,) = status_json(config)["sources"]  # shown without --sources: it missed something
        assert source["last_outcome"] == "ok"
        assert any(broken in warning and "500" in warning for warning in source["last_warnings"])
        text = kommunvakt(config, "status").stdout
        assert "kiruna-protocols" in text and broken in text

        server.clear_status(broken)
        assert kommunvakt(config, "crawl", "--municipality", "Kiruna").returncode == 0
        assert server.requests(broken) >= 2  # tried again, not forgotten
    assert status_json(config)["sources"] == []


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="needs /proc to find the crawl's child process")
def test_a_crawl_still_running_at_shutdown_is_ended_after_the_grace_period_and_recorded(tmp_path):
    site = SiteVisionSite(tmp_path / "site", municipality="Kiruna").build()
    with FixtureServer(site.root) as server:
        config = write_config(tmp_path, {"kiruna-protocols": server.url("/")})
        daemon = start_kommunvakt(config, "run")
        deadline = time.monotonic() + 60
        while not (children := crawl_children(config)) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert children, "the daemon never started a crawl"
        for pid in children:
            os.kill(pid, signal.SIGSTOP)  # hung: only the daemon's shutdown can end it
        daemon.send_signal(signal.SIGTERM)
        stopped = time.monotonic()
        output, _ = daemon.communicate(timeout=60)

    assert daemon.returncode == 0, output
    assert time.monotonic() - stopped < 30  # the 5 s grace period, then the child was killed
    assert crawl_children(config) == []
    assert "grace period over: ending 1 running crawls" in output
    (source,) = status_json(config)["sources"]
    assert source["last_outcome"] == "killed"
