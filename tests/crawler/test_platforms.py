"""Each platform adapter, on saved pages shaped like the real platform, served over 127.0.0.1.

Every fixture is a municipality whose home page leads in two or three links to its protocols; for the
portals (MeetingPlus, Netpublicator, Ciceron, OpenGov, Lex2) those live on another host (`localhost` beside
the site's `127.0.0.1`).  A real crawl (`python -m crawler.run`) must find every protocol with its date, and
a second crawl must download none of them again.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from crawler.platforms import PLATFORMS, PortalPage, PortalRequest, for_url
from crawler.platforms.lex2 import MAX_MONTHS, MONTHS_BACK, Lex2, looks_like_protocol, months, tenant_of
from tests.support.crawls import CrawlHarness
from tests.support.httpserver import FixtureServer
from tests.support.platform_sites import (
    FIXTURES,
    PLATFORM_NAMES,
    ExpectedProtocol,
    PlatformServer,
    build_platform_site,
    read_manifest,
    sample_protocols,
    touch_listing,
    write_pdfs,
)
from tests.support.sites import protocol_pdf

PORTALS = ("meetingplus", "netpublicator", "ciceron", "opengov", "lex2")
# Lex2 is searched month by month over a window that ends today; a backfill day reaches the fixed-date
# fixtures however long after 2025 the tests run.
CRAWL_ARGS = {"lex2": ("--since", "2024-01-01")}


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
    ("https://lex2api.evarmland.se/Lex2PublishWasm", "lex2"),
    ("https://lex2api.evarmland.se/Lex2PublishWasm/sunne", "lex2"),
    ("https://lex2api.evarmland.se/Lex2PublishWasm/?tenant=sunne", "lex2"),
    ("https://lex2api.evarmland.se/Lex2PublishWasm/publish/getsubjectareas/sunne", "lex2"),
    ("https://lex2api.evarmland.se/Lex2PublishWasm/publish/search/sunne", "lex2"),
    ("https://lex2api.evarmland.se/Lex2PublishWasm/docs/Lex2_4f1c.pdf", None),
    ("https://lex2api.evarmland.se/Lex2PinBoardWeb", None),
    ("https://www.sunne.se/link/3f2a9c1e0b7d4e5f8a6b2c1d0e9f8a7b.aspx", None),
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


def crawl_args(root: Path) -> tuple[str, ...]:
    platform = json.loads((root / "manifest.json").read_text(encoding="utf-8"))["platform"]
    return CRAWL_ARGS.get(platform, ())


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

    result = harness.crawl(*crawl_args(root))

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
    assert harness.crawl(*crawl_args(root)).exit_code == 0
    server.reset()

    again = harness.crawl(*crawl_args(root))

    assert again.exit_code == 0, again.summary
    assert again.summary["documents_seen"] == len(expected) and again.summary["documents_new"] == 0
    protocol_targets = {server.resolve(e.url).split(str(server.port), 1)[1] for e in expected}
    assert not [entry for entry in server.log if entry[1] in protocol_targets]
    harness.close()


# --- Lex2 webbdiarium ---------------------------------------------------------------------------------

LEX2_ANSWERS = FIXTURES.parent / "lex2-answers"
LEX2_API = "https://lex2api.evarmland.se/Lex2PublishWasm"
JUNE_2026 = date(2026, 6, 20)


def lex2(today: date = JUNE_2026) -> Lex2:
    return Lex2(today=lambda: today)


def answer(request: PortalRequest, saved: str | bytes) -> PortalPage:
    body = saved if isinstance(saved, bytes) else (LEX2_ANSWERS / saved).read_bytes()
    return PortalPage(request, request.url, body)


def june_search() -> PortalRequest:
    adapter = lex2()
    subjects = adapter.entry(f"{LEX2_API}/sunne")
    return adapter.parse(answer(subjects, "getsubjectareas.json")).follow[0]


@pytest.mark.parametrize(("url", "tenant"), [
    (f"{LEX2_API}/sunne", "sunne"),
    (f"{LEX2_API}/sunne/", "sunne"),
    (f"{LEX2_API}/?tenant=sunne", "sunne"),
    (f"{LEX2_API}?Tenant=arvika", "arvika"),
    (f"{LEX2_API}/publish/getsubjectareas/sunne", "sunne"),
    (f"{LEX2_API}/publish/search/torsby", "torsby"),
    (LEX2_API, None),
    (f"{LEX2_API}/index.html", None),
])
def test_the_lex2_tenant_comes_from_the_iframe_or_api_address(url: str, tenant: str | None) -> None:
    assert tenant_of(url) == tenant
    request = lex2().entry(url)
    if tenant is None:
        assert (request.kind, request.url) == ("app", url)
    else:
        assert (request.kind, request.url) == ("subjects", f"{LEX2_API}/publish/getsubjectareas/{tenant}")
        assert request.json_body is None


def test_a_lex2_iframe_without_a_tenant_reads_the_app_page_for_one() -> None:
    adapter = lex2()
    app = adapter.entry(LEX2_API)
    shell = b'<html><head><base href="/Lex2PublishWasm/sunne/" /></head><body><div id="app"></div></body></html>'

    [subjects] = adapter.parse(answer(app, shell)).follow

    assert subjects.url == f"{LEX2_API}/publish/getsubjectareas/sunne"
    with pytest.raises(ValueError, match="names no tenant"):
        adapter.parse(answer(app, b'<html><head><base href="/Lex2PublishWasm/" /></head></html>'))


def test_lex2_is_searched_month_by_month_with_the_sessions_subject_areas() -> None:
    searches = lex2().parse(answer(lex2().entry(f"{LEX2_API}/sunne"), "getsubjectareas.json")).follow

    assert len(searches) == MONTHS_BACK
    assert {s.url for s in searches} == {f"{LEX2_API}/publish/search/sunne"}
    bodies = [json.loads(s.json_body or "") for s in searches]
    assert bodies[0] == {"infoTypes": {"document": True, "case": False, "meeting": False},
                         "subjects": ["9d3b6c1e-20f4-4a8e-b1a7-5e0c2f6d7a11", "0b8e41f2-7c55-4d02-9a6e-3f1d2c4b5a66",
                                      "5f7a2e90-1b3c-4d6e-8f0a-2b4c6d8e0f13"],
                         "fromDate": "2026-06-01", "toDate": "2026-06-30", "searchText": ""}
    assert (bodies[-1]["fromDate"], bodies[-1]["toDate"]) == ("2024-07-01", "2024-07-31")


def test_a_backfill_reaches_lex2_months_before_the_window() -> None:
    subjects = replace(lex2().entry(f"{LEX2_API}/sunne"), since=date(2023, 1, 15))

    searches = lex2().parse(answer(subjects, "getsubjectareas.json")).follow

    assert json.loads(searches[-1].json_body or "")["fromDate"] == "2023-01-01" and len(searches) == 42


def test_months_are_calendar_months_newest_first() -> None:
    assert months(date(2026, 3, 31), count=2) == [(date(2026, 3, 1), date(2026, 3, 31)),
                                                   (date(2026, 2, 1), date(2026, 2, 28))]
    assert months(date(2026, 1, 5), since=date(2025, 12, 31), count=1) == [
        (date(2026, 1, 1), date(2026, 1, 31)), (date(2025, 12, 1), date(2025, 12, 31))]
    assert len(months(date(2026, 1, 5), since=date(1990, 1, 1))) == MAX_MONTHS


def test_a_lex2_month_gives_its_protocols_with_dates_and_committees_and_skips_the_rest() -> None:
    search = june_search()

    found = lex2().parse(answer(search, "search-2026-06.json")).protocols

    identity = f"{LEX2_API}/publish/savedoctodisk/sunne?documentId="
    assert [(p.url.removeprefix(identity), p.title, p.published_on, p.committee) for p in found] == [
        ("48213", "Kommunfullmäktiges protokoll 2026-06-15", date(2026, 6, 15), "Kommunfullmäktige"),
        ("48220", "Kommunstyrelsens protokol", date(2026, 6, 2), "Kommunstyrelsen"),  # a typo, as on the real site
        ("48230", "Protokoll valnämnden", date(2026, 6, 9), "Valnämnden"),
        ("c7f0-2a", "FRN: Protokoll 2026-06-18", date(2026, 6, 18), "FRN"),  # an unknown body keeps its short name
        ("48240", "Protokoll kommunfullmäktige 2026-06-25 (extra)", date(2026, 6, 25), ""),  # no owner: the title
    ]  # no kallelse, no protokollsbilaga, no case, no meeting
    fetches = [p.fetch for p in found if p.fetch is not None]
    assert len(fetches) == len(found)
    assert {f.url for f in fetches} == {f"{LEX2_API}/publish/getdocument/sunne"}
    assert [json.loads(f.json_body or "") for f in fetches][:4:3] == [{"documentId": 48213}, {"documentId": "c7f0-2a"}]


@pytest.mark.parametrize("title", ["Kommunfullmäktiges protokol 2026-06-15", "Kommunfullmäktiges protkoll",
                                   "KS prtokoll 2026-06-02", "Protokoll KF"])
def test_lex2_forgives_typos_in_protocol_titles(title: str) -> None:
    assert looks_like_protocol(title)


@pytest.mark.parametrize("title", ["Kallelse kommunfullmäktige 2026-06-15", "Protokollsbilaga 2 § 45",
                                   "Protokollsanteckning", "Föredragningslista KF", "Delårsrapport"])
def test_lex2_skips_what_is_not_a_protocol(title: str) -> None:
    assert not looks_like_protocol(title)


def test_lex2_answers_are_read_whatever_their_letter_case() -> None:
    [protocol] = lex2().parse(answer(june_search(), "search-other-casing.json")).protocols

    assert protocol.url.endswith("documentId=48250") and protocol.committee == "Kommunstyrelsen"


def test_a_lex2_protocol_is_fetched_through_getdocument_and_savedoctodisk() -> None:
    adapter = lex2()
    [protocol, *_] = adapter.parse(answer(june_search(), "search-2026-06.json")).protocols
    assert protocol.fetch is not None

    [save] = adapter.parse(answer(protocol.fetch, "getdocument.json")).follow
    [file] = adapter.parse(answer(save, "savedoctodisk.json")).protocols

    assert save.url == protocol.url and json.loads(save.json_body or "") == {"documentId": 48213}
    assert file.url == f"{LEX2_API}/docs/Lex2_7b1e0c9a4f2d4c3b8e6a1d5f0c2b9e47.pdf"
    assert (file.title, file.published_on, file.committee) == (protocol.title, protocol.published_on,
                                                                protocol.committee)


@pytest.mark.parametrize(("step", "saved", "message"), [
    ("search", "search-truncated.json", "Lex2 answered something other than JSON"),
    ("search", "search-timeout.html", "Lex2 answered something other than JSON"),
    ("search", b'{"error": "Internal error"}', "neither a list nor an object with 'hits'"),
    ("subjects", b'"no session"', "neither a list nor an object with 'subjectAreas'"),
    ("document", b"null", "getdocument answered no document details"),
    ("save", b'{"ok": true}', "savedoctodisk answered no file name"),
])
def test_a_malformed_lex2_answer_is_a_clear_error(step: str, saved: str | bytes, message: str) -> None:
    request = replace(june_search(), kind=step, state=june_search().state + (("document", "48213"),))

    with pytest.raises(ValueError, match=message):
        lex2().parse(answer(request, saved))


def test_a_lex2_crawl_fetches_each_protocol_once_and_only_a_changed_one_again(tmp_path: Path) -> None:
    root = tmp_path / "farm"
    shutil.copytree(FIXTURES / "lex2", root)
    protocols = {p.title: p for p in sample_protocols()}
    write_pdfs(root, protocol_pdf, protocols)
    _municipality, expected = read_manifest(root)
    with PlatformServer(root) as server:
        harness = CrawlHarness(tmp_path, [server.site_url("/")])

        first = harness.crawl(*CRAWL_ARGS["lex2"])
        stored = harness.stored()
        calls = _lex2_calls(server)
        server.reset()
        again = harness.crawl(*CRAWL_ARGS["lex2"])
        unchanged_calls = _lex2_calls(server)
        changed = _change_protocol(root, expected[0], protocols)
        server.reset()
        third = harness.crawl(*CRAWL_ARGS["lex2"])
        changed_calls = _lex2_calls(server)
        harness.close()

    assert first.exit_code == 0 and first.summary["documents_new"] == len(expected), first.summary
    assert sorted(stored) == sorted(server.resolve(e.url) for e in expected)
    for entry in expected:
        document = stored[server.resolve(entry.url)]
        assert (document.title, document.published_on) == (entry.title, date.fromisoformat(entry.published_on))
        assert entry.committee in document.title
    since = date.fromisoformat(CRAWL_ARGS["lex2"][1])
    assert calls["search"] == len(months(date.today(), since)) and calls["getsubjectareas"] == 1
    assert calls["getdocument"] == calls["savedoctodisk"] == calls["docs"] == len(expected)
    assert calls["timeouts"] == 0
    assert again.exit_code == 0 and again.summary["documents_new"] == 0
    assert again.summary["documents_seen"] == len(expected)
    assert unchanged_calls["savedoctodisk"] == unchanged_calls["docs"] == 0  # no file asked for, none downloaded
    # each month's answer is remembered by tenant and month although its subject ids changed: unchanged,
    # so nothing is asked about the protocols it lists
    assert unchanged_calls["search"] == calls["search"] and unchanged_calls["getdocument"] == 0
    assert third.exit_code == 0, third.summary
    # the changed month's protocols are rechecked: one details call each, and only the changed one's file
    assert 1 <= changed_calls["getdocument"] < len(expected)
    assert changed_calls["savedoctodisk"] == changed_calls["docs"] == 1
    assert changed_calls["saved"] == [server.resolve(changed).split(str(server.port), 1)[1]]


def _lex2_calls(server: PlatformServer) -> dict:
    calls: dict = {"saved": [], "timeouts": 0}
    for host, target, status in server.log:
        if host != "portal":
            continue
        path = target.split("?", 1)[0]
        call = "docs" if path.startswith("/Lex2PublishWasm/docs/") else path.removeprefix("/Lex2PublishWasm/publish/").split("/")[0]
        calls[call] = calls.get(call, 0) + (status == 200)
        calls["timeouts"] += status == 504
        if call == "savedoctodisk":
            calls["saved"].append(target)
    return {"search": 0, "getsubjectareas": 0, "getdocument": 0, "savedoctodisk": 0, "docs": 0, **calls}


def _change_protocol(root: Path, entry: ExpectedProtocol, protocols: dict) -> str:
    """The portal replaces a protocol's file (a corrected version) and its details say so."""
    old = protocols[entry.protocol_title]
    corrected = replace(old, body=old.body + "\n\n§ 99 Rättelse av protokollet\n\nProtokollet rättas.")
    (root / entry.file).unlink()
    (root / entry.file).write_bytes(protocol_pdf(corrected, "Vaggeryd"))
    touch_listing(root, entry, "rättat")
    return entry.url


def test_an_episerver_archive_link_that_redirects_to_its_pdf_is_stored_under_the_link(tmp_path: Path) -> None:
    """Sunne's older protocols: `/link/<guid>.aspx` answers a redirect to the file (PLATFORMS.md section 5)."""
    site = tmp_path / "site"
    day = date(2019, 3, 25)
    protocol = next(iter(sample_protocols()))
    pdf = site / "globalassets" / "protokoll" / "kf-2019-03-25.pdf"
    pdf.parent.mkdir(parents=True)
    pdf.write_bytes(protocol_pdf(replace(protocol, title=f"Protokoll kommunfullmäktige {day}", meeting_date=day),
                                 "Sunne"))
    link = "/link/3f2a9c1e0b7d4e5f8a6b2c1d0e9f8a7b.aspx"
    (site / "index.html").write_text('<html><body><h1>Sunne kommun</h1><a href="/politik/">Politik</a></body></html>')
    (site / "politik").mkdir()
    (site / "politik" / "index.html").write_text(f"""<html><body><h1>Politik</h1><h2>Äldre protokoll</h2>
<ul><li><a href="{link}">Protokoll kommunfullmäktige {day}</a></li></ul></body></html>""", encoding="utf-8")
    with FixtureServer(site) as server:
        server.set_status(link, 302)
        server.set_headers(link, {"Location": "/globalassets/protokoll/kf-2019-03-25.pdf"})
        harness = CrawlHarness(tmp_path, [server.url("/")])

        assert harness.crawl().exit_code == 0
        stored = harness.stored()
        server.reset_counts()
        again = harness.crawl()
        harness.close()

    assert list(stored) == [server.url(link)] and stored[server.url(link)].published_on == day
    assert again.summary["documents_new"] == 0
    assert server.full_responses("/globalassets/protokoll/kf-2019-03-25.pdf") == 0  # a 304, not the file again
