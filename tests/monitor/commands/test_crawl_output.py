"""Issue 15, defect 7: a crawl prints one line per source as it ends and a summary; URLs only with -v."""

from __future__ import annotations

import re
import time

import pytest

from monitor.app.crawling import crawl_sources
from monitor.app.service import open_service
from monitor.commands.crawl_report import elapsed
from monitor.config import load_config
from tests.support.cli import kommunvakt
from tests.support.config import write_config as write_config_file
from tests.support.httpserver import FixtureServer
from tests.support.sites import SiteVisionSite

pytestmark = pytest.mark.slow
SOURCE_LINE = re.compile(r"^\[(\d+)/3\] (\S+) (ok|FAILED \(\w+\)), (\d+) new")


@pytest.fixture
def farm(tmp_path):
    kiruna = SiteVisionSite(tmp_path / "kiruna", municipality="Kiruna").build()
    vaggeryd = SiteVisionSite(tmp_path / "vaggeryd").build()
    with FixtureServer(kiruna.root) as kiruna_server, FixtureServer(vaggeryd.root) as vaggeryd_server:
        sites = {"kiruna-protocols": kiruna_server.url("/"), "vaggeryd-protocols": vaggeryd_server.url("/"),
                 "jokkmokk-protocols": "http://127.0.0.1:9/"}
        yield kiruna, write_config_file(tmp_path, sources=[
            {"name": name, "municipality": name.split("-")[0], "start_urls": [url]} for name, url in sites.items()])


def test_crawl_all_prints_a_line_per_source_and_a_summary_without_urls(farm):
    kiruna, config = farm
    result = kommunvakt(config, "crawl", "--all")
    assert result.returncode == 1  # jokkmokk failed
    lines = result.stdout.splitlines()
    verdicts = [SOURCE_LINE.match(line) for line in lines if SOURCE_LINE.match(line)]
    assert [int(m[1]) for m in verdicts] == [1, 2, 3]  # counted as they end
    by_source = {m[2]: (m[3], int(m[4])) for m in verdicts}
    assert by_source["kiruna-protocols"] == ("ok", len(kiruna.pdf_paths()))
    assert by_source["jokkmokk-protocols"][0].startswith("FAILED")
    (summary,) = [line for line in lines if line.startswith("crawled 3 sources in ")]
    assert re.fullmatch(r"crawled 3 sources in (\d+(\.\d)? s|\d+ min \d\d s): 2 ok, 1 failed, \d+ new documents",
                        summary), summary
    assert not any(path in result.stdout for path in kiruna.pdf_paths())  # no per-document lines


def test_with_v_each_document_is_listed_too(farm):
    kiruna, config = farm
    result = kommunvakt(config, "crawl", "--source", "kiruna-protocols", "-v")
    assert result.returncode == 0, result.stdout + result.stderr
    assert all(path in result.stdout for path in kiruna.pdf_paths())
    assert re.search(r"^\[1/1\] kiruna-protocols ok, \d+ new of \d+ seen", result.stdout, re.M)


def test_a_source_is_reported_when_it_ends_not_when_the_whole_crawl_ends(farm):
    _kiruna, path = farm
    config = load_config(str(path))
    service = open_service(config)
    ended: dict[str, float] = {}
    try:
        outcomes = crawl_sources(service.database, config, list(config.sources), "test", workers=1,
                                 on_finished=lambda outcome: ended.setdefault(outcome.source_key, time.monotonic()))
        returned = time.monotonic()
    finally:
        service.close()
    assert set(ended) == {o.source_key for o in outcomes} and len(ended) == 3
    assert min(ended.values()) < returned - 1.0  # one child per source here: the first ended a child earlier


@pytest.mark.parametrize(("seconds", "text"), [(1.24, "1.2 s"), (47.4, "47 s"), (185, "3 min 05 s"),
                                               (3725, "1 h 02 min")])
def test_elapsed_time_reads_well(seconds, text):
    assert elapsed(seconds) == text
