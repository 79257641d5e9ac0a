"""Many sources in one crawl child (`crawl --all`, the benchmark): each source keeps its own run and verdict.

Real `python -m crawler.run` children crawl fixture sites on 127.0.0.1 into a real SQLite file.
"""

from __future__ import annotations

import os
import signal
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from monitor.app.crawling import ChildProcesses, batches, crawl_batch, crawl_sources, utcnow
from monitor.app.service import Service, open_service
from monitor.config import Config, load_config
from monitor.domain import SourceConfig, SourceKind
from storage import repository as repo
from tests.support.config import write_config as write_config_file
from tests.support.httpserver import FixtureServer
from tests.support.sites import SiteVisionSite

pytestmark = pytest.mark.slow


class CountingChildren(ChildProcesses):
    """The crawl children started, kept after they end."""

    def __init__(self) -> None:
        super().__init__()
        self.started: list[subprocess.Popen] = []

    def add(self, process: subprocess.Popen) -> None:
        self.started.append(process)
        super().add(process)


def write_config(tmp_path: Path, sources: dict[str, str], timeout: int = 1800) -> Config:
    path = write_config_file(tmp_path, data_dir=tmp_path / "data", crawl={"timeout_seconds": timeout},
                             sources=[{"name": name, "municipality": name.split("-")[0], "start_urls": [url]}
                                      for name, url in sources.items()])
    return load_config(path, environ={})


@pytest.fixture
def sites(tmp_path: Path) -> Iterator[dict[str, tuple[SiteVisionSite, FixtureServer]]]:
    built = {name: SiteVisionSite(tmp_path / name, municipality=name.capitalize()).build()
             for name in ("kiruna", "vaggeryd")}
    servers = {name: FixtureServer(site.root).start() for name, site in built.items()}
    yield {name: (built[name], servers[name]) for name in built}
    for server in servers.values():
        server.stop()


def sources_of(config: Config) -> list[SourceConfig]:
    return [s for s in config.sources if s.enabled]


def test_one_child_crawls_the_batch_and_records_each_source_as_its_own(tmp_path, sites) -> None:
    config = write_config(tmp_path, {"kiruna-protocols": sites["kiruna"][1].url("/"),
                                     "jokkmokk-protocols": "http://127.0.0.1:9/",  # dead: fails alone
                                     "vaggeryd-protocols": sites["vaggeryd"][1].url("/")})
    service = open_service(config)
    children = CountingChildren()
    try:
        outcomes = crawl_batch(service.database, config, sources_of(config), "test", children=children)
        keys = ("kiruna-protocols", "jokkmokk-protocols", "vaggeryd-protocols")
        with service.database.transaction() as session:
            states = {key: repo.source_state(session, key) for key in keys}
        with service.database.transaction() as session:  # every lock was released: another run may start
            assert all(repo.start_run(session, key, "next", utcnow(), stale_after_s=3600) for key in keys)
    finally:
        service.close()

    assert len(children.started) == 1
    assert [(o.source_key, o.outcome) for o in outcomes] == [
        ("kiruna-protocols", "ok"), ("jokkmokk-protocols", "failed"), ("vaggeryd-protocols", "ok")]
    assert [o.documents_new for o in outcomes] == [2, 0, 2]
    assert "127.0.0.1:9" in outcomes[1].errors[0]
    for name in ("kiruna", "vaggeryd"):
        site, server = sites[name]
        assert all(server.requests(path) == 1 for path in site.pdf_paths())
    assert states["kiruna-protocols"].last_outcome == "ok" and states["vaggeryd-protocols"].last_outcome == "ok"
    assert states["jokkmokk-protocols"].last_outcome == "failed"


def test_a_locked_source_is_left_out_of_the_batch_and_said_so(tmp_path, sites) -> None:
    config = write_config(tmp_path, {"kiruna-protocols": sites["kiruna"][1].url("/"),
                                     "vaggeryd-protocols": sites["vaggeryd"][1].url("/")})
    service = open_service(config)
    try:
        with service.database.transaction() as session:
            repo.start_run(session, "kiruna-protocols", "someone else", utcnow(), stale_after_s=3600)
        outcomes = crawl_batch(service.database, config, sources_of(config), "test")
    finally:
        service.close()

    assert {o.source_key: o.outcome for o in outcomes} == {"kiruna-protocols": "locked", "vaggeryd-protocols": "ok"}
    assert "someone else" in next(o for o in outcomes if o.outcome == "locked").errors[0]
    assert sites["kiruna"][1].requests("/") == 0


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="needs /proc and signals to hang the child")
def test_a_hung_child_is_killed_and_the_sources_it_finished_keep_their_result(tmp_path, sites) -> None:
    more = {name: SiteVisionSite(tmp_path / name, municipality=name.capitalize()).build() for name in
            ("jokkmokk", "stockholm", "goteborg")}
    with FixtureServer(more["jokkmokk"].root) as jokkmokk, FixtureServer(more["stockholm"].root) as stockholm, \
            FixtureServer(more["goteborg"].root) as goteborg:
        config = write_config(tmp_path, {"kiruna-protocols": sites["kiruna"][1].url("/"),
                                         "vaggeryd-protocols": sites["vaggeryd"][1].url("/"),
                                         "jokkmokk-protocols": jokkmokk.url("/"),
                                         "stockholm-protocols": stockholm.url("/"),
                                         "goteborg-protocols": goteborg.url("/")}, timeout=6)
        service = open_service(config)
        children = CountingChildren()
        hang = threading.Thread(target=_hang_after_first, args=(service, children), daemon=True)
        hang.start()
        started = time.monotonic()
        try:
            outcomes = crawl_batch(service.database, config, sources_of(config), "test", children=children)
        finally:
            service.close()

    verdicts = {o.source_key: o.outcome for o in outcomes}
    assert verdicts["kiruna-protocols"] == "ok"  # recorded before the child hung: kept
    assert set(verdicts.values()) == {"ok", "killed"} and verdicts["goteborg-protocols"] == "killed"
    assert all("time limit 6 s" in o.errors[0] for o in outcomes if o.outcome == "killed")
    assert time.monotonic() - started < 40
    assert children.started[0].poll() is not None  # no child left behind


def _hang_after_first(service: Service, children: CountingChildren) -> None:
    """SIGSTOP the child as soon as the first source's run is recorded: the second never ends on its own."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        with service.database.transaction() as session:
            if repo.source_state(session, "kiruna-protocols").last_outcome == "ok" and children.started:
                os.kill(children.started[0].pid, signal.SIGSTOP)
                return
        time.sleep(0.02)


def test_crawl_sources_runs_batches_side_by_side_and_returns_every_outcome(tmp_path, sites) -> None:
    urls = {"kiruna-protocols": sites["kiruna"][1].url("/"), "vaggeryd-protocols": sites["vaggeryd"][1].url("/")}
    urls.update({f"{code}-protocols": "http://127.0.0.1:9/" for code in ("0180", "1480", "2510")})
    config = write_config(tmp_path, urls)
    service = open_service(config)
    children = CountingChildren()
    try:
        outcomes = crawl_sources(service.database, config, sources_of(config), "test", workers=2,
                                 children=children)
    finally:
        service.close()

    assert sorted(o.source_key for o in outcomes) == sorted(urls)
    assert {o.source_key for o in outcomes if o.ok} == {"kiruna-protocols", "vaggeryd-protocols"}
    assert len(children.started) == len(batches(sources_of(config), 2))


@pytest.mark.parametrize(("count", "workers", "sizes"), [
    (0, 2, []),
    (3, 2, [1, 1, 1]),
    (16, 2, [2] * 8),
    (290, 2, [25] * 11 + [15]),
    (290, 8, [10] * 29),
    (5, 0, [2, 2, 1]),
])
def test_batches_give_every_worker_several_and_none_too_many(count, workers, sizes) -> None:
    sources = [SourceConfig(key=f"s{i}", kind=SourceKind.PROTOCOLS, municipality_code="0180", start_urls=("http://127.0.0.1/",))
               for i in range(count)]

    found = batches(sources, workers)

    assert [len(batch) for batch in found] == sizes
    assert [s.key for batch in found for s in batch] == [s.key for s in sources]
