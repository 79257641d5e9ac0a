"""Each platform adapter, on saved pages shaped like the real platform, served over 127.0.0.1.

Every fixture is a municipality whose home page leads in two or three links to its protocols; for the
portals (MeetingPlus, Netpublicator, Ciceron, OpenGov) those live on another host (`localhost` beside the
site's `127.0.0.1`).  A real crawl (`python -m crawler.run`) must find every protocol with its date, and
a second crawl must download none of them again.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from crawler.platforms import PLATFORMS, PortalPage, PortalRequest, for_url
from tests.crawler.conftest import CrawlHarness
from tests.crawler.platform_sites import (
    PLATFORM_NAMES,
    PlatformServer,
    build_platform_site,
    read_manifest,
    sample_protocols,
    write_pdfs,
)
from tests.support.sites import protocol_pdf

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "platforms"
PORTALS = ("meetingplus", "netpublicator", "ciceron", "opengov")


def test_the_registry_names_every_adapter() -> None:
    assert set(PLATFORMS) == set(PLATFORM_NAMES)
    assert all(name == platform.name for name, platform in PLATFORMS.items())


@pytest.mark.parametrize(("url", "platform"), [
    ("https://sammantradesportal.alingsas.se/committees/kommunfullmaktige/mote-2025-10-28", "meetingplus"),
    ("https://meetingsplus.danderyd.se/", "meetingplus"),
    ("https://meetings.hylte.se/committees/kommunfullmaktige/mote-2025-06-16", "meetingplus"),
    ("https://tranaskommun.ondemand.formpipe.com/", "meetingplus"),
    ("https://edokmeetings.stockholm.se/committees/kommunfullmaktige", "meetingplus"),
    ("https://www.netpublicator.com/reader/r90521909", "netpublicator"),
    ("https://docs.netpublicator.com/api/public/r20758068/read?hash=0a3a8d2ed2f9258&isr=true", "netpublicator"),
    ("https://diariet.soderkoping.se/#!/search/?t=1&i=Kommunfullm%C3%A4ktige&n=KS", "ciceron"),
    ("https://soderhamn-sok.ciceron.cloud/", "ciceron"),
    ("https://opengov.360online.com/Meetings/BOTKYRKAkommun", "opengov"),
    ("https://gagnef.se/protokoll.4.1a.html?folder=19.6a2b&sv.url=12.3c4d", "sitevision"),
    ("https://www.vaggeryd.se/kommun-och-politik.4.1a2b.html", None),
    ("https://www.facebook.com/vaggerydskommun", None),
])
def test_portal_links_are_recognised_by_their_real_shapes(url: str, platform: str | None) -> None:
    found = for_url(url)
    assert (found.name if found else None) == platform


def test_a_netpublicator_reader_page_leads_to_its_api() -> None:
    adapter = PLATFORMS["netpublicator"]
    reader = "https://www.netpublicator.com/reader/r20758068"
    body = (FIXTURES / "netpublicator" / "portal" / "reader" / "r20758068").read_bytes()

    [read] = adapter.parse(PortalPage(adapter.entry(reader), reader, body)).follow

    assert read.url == "https://docs.netpublicator.com/api/public/r20758068/read?hash=0a3a8d2ed2f9258&isr=true"


def test_meetingplus_skips_cancelled_meetings_and_agendas() -> None:
    adapter = PLATFORMS["meetingplus"]
    portal = FIXTURES / "meetingplus" / "portal" / "committees" / "kommunfullmaktige"
    url = "https://sammantradesportal.example.se/committees/kommunfullmaktige"
    committee = PortalPage(PortalRequest("meetingplus", "committee", url, committee="Kommunfullmäktige"), url,
                           (portal / "index.html").read_bytes())

    meetings = adapter.parse(committee).follow

    assert [m.url.rsplit("/", 1)[-1] for m in meetings] == ["mote-2025-10-28", "mote-2024-12-17"]
    assert [m.published_on for m in meetings] == [date(2025, 10, 28), date(2024, 12, 17)]
    meeting = PortalPage(meetings[0], meetings[0].url, (portal / "mote-2025-10-28" / "index.html").read_bytes())
    [protocol] = adapter.parse(meeting).protocols
    assert "/protocol/" in protocol.url and protocol.url.endswith("pdf?downloadMode=open")
    assert (protocol.committee, protocol.published_on) == ("Kommunfullmäktige", date(2025, 10, 28))


def test_the_saved_fixtures_are_what_the_builder_makes(tmp_path: Path) -> None:
    for name in PLATFORM_NAMES:
        build_platform_site(name, tmp_path / name, "Vaggeryd", sample_protocols())
        made = {p.relative_to(tmp_path / name): p.read_bytes() for p in (tmp_path / name).rglob("*") if p.is_file()}
        saved = {p.relative_to(FIXTURES / name): p.read_bytes() for p in (FIXTURES / name).rglob("*") if p.is_file()}
        assert made == saved, f"tests/fixtures/platforms/{name} is stale: rebuild it with build_platform_site"


@pytest.fixture
def platform_site(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[Path, PlatformServer]]:
    root = tmp_path / "farm"
    shutil.copytree(FIXTURES / request.param, root)
    write_pdfs(root, protocol_pdf, {p.title: p for p in sample_protocols()})
    with PlatformServer(root) as server:
        yield root, server


@pytest.mark.parametrize("platform_site", PLATFORM_NAMES, indirect=True)
def test_a_crawl_from_the_home_page_finds_every_protocol_and_its_date(
        platform_site: tuple[Path, PlatformServer], tmp_path: Path) -> None:
    root, server = platform_site
    _municipality, expected = read_manifest(root)
    harness = CrawlHarness(tmp_path, [server.site_url("/")])

    result = harness.crawl()

    assert result.exit_code == 0, (result.summary, result.stderr[-2000:])
    stored = harness.stored()
    assert sorted(stored) == sorted(server.resolve(e.url) for e in expected)
    for entry in expected:
        document = stored[server.resolve(entry.url)]
        assert document.published_on == date.fromisoformat(entry.published_on), entry
        assert "SAMMANTRÄDESPROTOKOLL" in document.text
        assert entry.committee in document.title or entry.committee.lower() in document.text.lower()
    if root.joinpath("portal").is_dir():
        assert any(host == "portal" for host, _target, _status in server.log)  # reached on the other host
    harness.close()


@pytest.mark.parametrize("platform_site", PORTALS, indirect=True)
def test_a_second_crawl_downloads_no_protocol_again(platform_site: tuple[Path, PlatformServer],
                                                     tmp_path: Path) -> None:
    root, server = platform_site
    _municipality, expected = read_manifest(root)
    harness = CrawlHarness(tmp_path, [server.site_url("/")])
    assert harness.crawl().exit_code == 0
    server.reset()

    again = harness.crawl()

    assert again.exit_code == 0, again.summary
    assert again.summary["documents_seen"] == len(expected) and again.summary["documents_new"] == 0
    protocol_targets = {server.resolve(e.url).split(str(server.port), 1)[1] for e in expected}
    assert not [entry for entry in server.log if entry[1] in protocol_targets]
    harness.close()
