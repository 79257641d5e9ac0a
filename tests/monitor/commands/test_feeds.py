"""`kommunvakt feeds check URL_OR_FILE [--json]`: a feed served over loopback or saved in a file, as an operator
checks it before adding it to a press source; broken, hostile and unreachable feeds are a clear error, exit 1."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import pytest

from monitor.cli import main
from tests.support.httpserver import FixtureServer

CMS_FEED = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Kommunbladet – nyheter & notiser</title>
<item><title>Fullm&auml;ktige s&auml;ger nej till samordnaren f&ouml;r &aring;tervandring</title>
<guid isPermaLink="true">{base}/nyheter/fullmaktige-nej?utm_source=rss</guid>
<pubDate>Tue, 28 Oct 2025 08:00:00 +0100</pubDate><description>Beslutet togs efter en lång debatt.</description>
</item>
<item><title>Ny förskola i centrum</title><link>/nyheter/forskola</link>
<pubDate>Tue, 28 Oct 2025 09:30:00 +0100</pubDate>
<source url="https://tidning.example">Lokaltidningen</source></item>
<item><title>Bara en intern kod</title><guid isPermaLink="false">kb-4711</guid></item>
</channel></rss>
"""
ATOM_03_LATIN1 = """<feed version="0.3" xmlns="http://purl.org/atom/ns#"><title>Västerås nyheter</title>
<entry><title>Återvandring på kommunstyrelsens bord</title>
<link rel="alternate" type="text/html" href="https://vasteras.example/ks/atervandring"/><id>ks-1</id>
<issued>2025-10-28T08:00:00+01:00</issued><modified>2025-10-28T08:00:00+01:00</modified></entry>
<entry><title>Mejla oss</title><link rel="alternate" href="mailto:info@vasteras.example"/><id>ks-2</id>
<issued>2025-10-27T08:00:00+01:00</issued></entry></feed>"""
BOMB = (b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "xxxxxxxxxx"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]>'
        b'<rss version="2.0"><channel><title>&b;</title><item><link>https://x.example/1</link></item></channel></rss>')


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("KOMMUNVAKT_CONFIG", raising=False)


def config(tmp_path: Path, allow_private: bool = True) -> str:
    path = tmp_path / "kommunvakt.toml"
    path.write_text(f"""[database]\nurl = "sqlite:///{tmp_path / 'kv.db'}"\n
[crawl]\nallow_private_addresses = {str(allow_private).lower()}\ndefault_sources = false\ncontact = "test@example.org"
""", encoding="utf-8")
    return str(path)


@pytest.fixture()
def newsroom(tmp_path: Path):
    root = tmp_path / "site"
    (root / "feeds").mkdir(parents=True)
    with FixtureServer(root) as server:
        base = server.url("")[:-1]
        (root / "feeds" / "cms.xml").write_text(CMS_FEED.format(base=base), encoding="utf-8")
        (root / "feeds" / "bomb.xml").write_bytes(BOMB)
        yield server


def check(capsys, tmp_path: Path, location: str, *extra: str, allow_private: bool = True) -> tuple[int, str, str]:
    code = main(["--config", config(tmp_path, allow_private), "feeds", "check", location, *extra])
    out, err = capsys.readouterr()
    return code, out, err


def test_a_cms_feed_over_http_shows_what_would_be_taken(newsroom, tmp_path, capsys):
    code, out, err = check(capsys, tmp_path, newsroom.url("/feeds/cms.xml"), "--json")

    assert code == 0, err
    report = json.loads(out)
    assert report["ok"] is True and report["format"] == "rss20"
    assert report["title"] == "Kommunbladet – nyheter & notiser"
    assert "read leniently" in report["irregularity"]  # the stray '&' in the title
    first, second = report["entries"]  # the guid that is no permalink gives no entry
    assert first["title"] == "Fullmäktige säger nej till samordnaren för återvandring"
    assert first["link"] == newsroom.url("/nyheter/fullmaktige-nej")  # guid as link, tracking removed
    assert first["published"] == "2025-10-28T07:00:00+00:00"
    assert first["outlet"] == "Kommunbladet – nyheter & notiser"
    assert second["link"] == newsroom.url("/nyheter/forskola")  # relative link against the feed's URL
    assert second["outlet"] == "Lokaltidningen" and second["followed"] is True
    assert newsroom.requests("/feeds/cms.xml") == 1


def test_a_saved_latin1_atom_0_3_file_in_text(tmp_path, capsys):
    saved = tmp_path / "vasteras.xml"
    saved.write_bytes(ATOM_03_LATIN1.encode("iso-8859-1"))

    code, out, _err = check(capsys, tmp_path, str(saved))

    assert code == 0
    lines = out.splitlines()
    assert lines[0] == f"Västerås nyheter (atom03): {saved}"
    assert lines[1] == "1 of 2 entries would be taken:"
    assert lines[2].split() == ["2025-10-28", "08:00", "Västerås", "nyheter", "Återvandring", "på",
                                "kommunstyrelsens", "bord"]  # Stockholm time
    assert lines[3].strip() == "https://vasteras.example/ks/atervandring"
    assert lines[4].endswith("Mejla oss  [refused: not an http(s) link]")


def test_an_entity_bomb_is_refused(newsroom, tmp_path, capsys):
    code, out, err = check(capsys, tmp_path, newsroom.url("/feeds/bomb.xml"), "--json")
    assert code == 1
    assert json.loads(out)["error"].startswith(newsroom.url("/feeds/bomb.xml") + ": refused: the feed declares XML")
    assert "feed not usable" in err


def test_a_missing_feed_is_its_http_status(newsroom, tmp_path, capsys):
    code, _out, err = check(capsys, tmp_path, newsroom.url("/feeds/gone.xml"))
    assert code == 1
    assert err.strip() == f"kommunvakt: feed not usable: {newsroom.url('/feeds/gone.xml')} returned HTTP 404"


def test_an_unreachable_feed_says_so(tmp_path, capsys):
    with socket.socket() as probe:  # a port that nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    code, _out, err = check(capsys, tmp_path, f"http://127.0.0.1:{port}/rss.xml")
    assert code == 1
    assert err.strip() == f"kommunvakt: feed not usable: http://127.0.0.1:{port}/rss.xml: connection refused"


def test_a_private_address_is_refused_unless_allowed(newsroom, tmp_path, capsys):
    code, _out, err = check(capsys, tmp_path, newsroom.url("/feeds/cms.xml"), allow_private=False)
    assert code == 1
    assert "refused: 127.0.0.1 is a loopback address" in err
    assert newsroom.requests("/feeds/cms.xml") == 0


def test_a_page_that_is_not_a_feed_is_exit_1(newsroom, tmp_path, capsys):
    (newsroom.root / "index.html").write_text("<!DOCTYPE html><html><body>Välkommen</body></html>", "utf-8")
    code, _out, err = check(capsys, tmp_path, newsroom.url("/index.html"))
    assert code == 1 and "not an RSS or Atom feed (the document is <html>)" in err


@pytest.mark.parametrize("location", ["ftp://x.example/rss.xml", "no-such-file.xml"])
def test_neither_url_nor_file_is_a_usage_error(tmp_path, capsys, location):
    code, _out, err = check(capsys, tmp_path, location)
    assert code == 2 and location in err
