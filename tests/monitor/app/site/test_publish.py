"""`kommunvakt publish` on a database with a handful of changes: every file, all 290, escaped, valid feeds."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from datetime import datetime

import feedparser
import lxml.html

from monitor.app.service import open_service
from monitor.app.site.publish import publish
from tests.support.readers_site import (
    GOTLAND_ERROR,
    HOSTILE,
    HOSTILE_TITLE,
    KIRUNA_ACCEPT,
    NOW,
    VAGGERYD_QUOTE,
    build_world,
)

STANCE_COLUMNS = ["municipality_code", "municipality", "county", "stance", "since", "reading", "evidence",
                  "authority", "outlet", "observed_on", "document_title", "document_url", "page", "confidence",
                  "last_read_at", "source_problem"]


def html(site, name: str):
    return lxml.html.fromstring((site / name).read_bytes())


def rows_of(site, name: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO((site / name).read_text(encoding="utf-8"))))


def test_the_index_has_all_290_in_the_map_and_the_table_under_600_kb(published):
    site = published.site_dir
    index = html(site, "index.html")
    rows = index.cssselect("table#stances tbody tr")
    assert len(rows) == 290
    links = index.cssselect("figure.map svg a")
    assert len(links) == 290
    assert len(index.cssselect("figure.inset svg a")) == 26  # Stockholm's county enlarged
    assert all(link.get("aria-label") and link.cssselect("path[d^=M] > title") for link in links)
    vaggeryd = index.cssselect("svg a[href='municipalities/0665.html']")[0]
    assert vaggeryd.get("aria-label") == "Vaggeryd: avböjt"
    assert vaggeryd.cssselect("path")[0].get("class") == "s-declined"
    assert "failing" in index.cssselect("svg a[href='municipalities/0980.html'] path")[0].get("class")
    row = index.cssselect("tr[data-code='0665']")[0]
    assert (row.get("data-county"), row.get("data-stance")) == ("06", "declined")
    assert "avböjt" in row.text_content() and VAGGERYD_QUOTE in row.text_content()
    assert "källan kan inte läsas" in index.cssselect("tr[data-code='0980']")[0].text_content()
    assert index.cssselect("tr[data-code='0180']")[0].get("data-stance") == "unknown"  # held: not public
    assert (site / "index.html").stat().st_size < 600 * 1024


def test_every_page_says_when_it_was_built_and_what_is_watched(published):
    site = published.site_dir
    for name in ("index.html", "changes.html", "municipalities/0665.html", "municipalities/0114.html"):
        footer = html(site, name).cssselect("footer")[0].text_content()
        assert "Byggd 2026-03-02 10:30" in footer  # NOW in Swedish time
        assert "290 kommuner (290 källor)" in footer and "pressflöden om återvandring" in footer


def test_the_hostile_quote_and_title_are_escaped_everywhere(published):
    site = published.site_dir
    for name in ("index.html", "changes.html", "municipalities/1280.html"):
        text = (site / name).read_text(encoding="utf-8")
        assert "<script>alert" not in text and "<img src=x" not in text and "<b>inbjudan" not in text
        page = lxml.html.fromstring(text)
        assert [s.get("src") for s in page.iter("script")] in ([], ["assets/table.js"])
        assert not page.cssselect("img")
    page = html(site, "municipalities/1280.html")
    assert page.cssselect("blockquote.evidence")[0].text_content() == HOSTILE  # shown as the text it is
    assert HOSTILE_TITLE in page.cssselect("p.source a")[0].text_content()


def test_a_municipality_page_has_its_evidence_history_press_and_sources(published):
    page = html(published.site_dir, "municipalities/2584.html")
    assert page.cssselect("blockquote.evidence")[0].text_content() == KIRUNA_ACCEPT
    history = page.cssselect("ol.changes > li")
    assert len(history) == 2
    assert "neutral → accepterat" in " ".join(history[0].text_content().split())
    assert "första läsningen" in history[1].text_content()
    assert "SVT Nyheter" in page.cssselect("ul.press")[0].text_content()
    assert [td.text_content() for td in page.cssselect("table.sources td")][:3] == [
        "2584-protocols", "protokoll", "fungerar"]
    gotland = html(published.site_dir, "municipalities/0980.html")
    assert GOTLAND_ERROR in gotland.cssselect("table.sources")[0].text_content()
    assert "Inget belägg ännu" in gotland.text_content()


def test_csv_and_json_have_all_290_with_stable_columns_and_iso_times(published):
    site = published.site_dir
    text = (site / "downloads/stances.csv").read_text(encoding="utf-8")
    assert text.splitlines()[0].split(",") == STANCE_COLUMNS
    rows = {row["municipality_code"]: row for row in rows_of(site, "downloads/stances.csv")}
    assert len(rows) == 290
    assert rows["0665"]["stance"] == "declined" and rows["0665"]["evidence"] == VAGGERYD_QUOTE
    assert datetime.fromisoformat(rows["0665"]["since"]).tzinfo is not None
    assert datetime.fromisoformat(rows["0665"]["last_read_at"]).tzinfo is not None
    assert rows["1280"]["evidence"] == HOSTILE
    assert (rows["0980"]["stance"], rows["0980"]["reading"], rows["0980"]["source_problem"]) == (
        "unknown", "failing", GOTLAND_ERROR)
    assert (rows["0114"]["stance"], rows["0114"]["reading"]) == ("unknown", "not_yet_read")
    data = json.loads((site / "downloads/stances.json").read_text(encoding="utf-8"))
    assert [item["municipality_code"] for item in data] == list(rows)
    assert list(data[0]) == STANCE_COLUMNS
    history = rows_of(site, "downloads/history.csv")
    assert [(h["municipality_code"], h["old_stance"], h["new_stance"]) for h in history] == [
        ("2584", "unknown", "neutral"), ("0665", "unknown", "declined"), ("2584", "neutral", "accepted"),
        ("1280", "unknown", "declined")]
    assert all(datetime.fromisoformat(h["recorded_at"]).tzinfo is not None for h in history)


def test_the_atom_feed_is_valid_with_one_entry_per_public_change(published):
    feed = feedparser.parse((published.site_dir / "feeds/changes.atom").read_bytes())
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    titles = [entry.title for entry in feed.entries]
    assert titles == ["Malmö: okänd → avböjt", "Kiruna: neutral → accepterat", "Vaggeryd: okänd → avböjt",
                      "Kiruna: okänd → neutral"]
    for entry in feed.entries:
        assert entry.id and entry.updated_parsed and entry.link.endswith(".html")
    assert HOSTILE in feed.entries[0].summary
    assert feed.entries[0].link == "../municipalities/1280.html"
    norrbotten = feedparser.parse((published.site_dir / "feeds/county-25.atom").read_bytes())
    assert not norrbotten.bozo and [e.title for e in norrbotten.entries] == [
        "Kiruna: neutral → accepterat", "Kiruna: okänd → neutral"]
    assert len(list((published.site_dir / "feeds").glob("county-*.atom"))) == 21


def test_english_follows_the_alerts_language(tmp_path):
    world = build_world(tmp_path, language="en")
    service = open_service(world.config)
    try:
        publish(service, now=NOW)
    finally:
        service.close()
    index = html(world.site_dir, "index.html")
    assert index.get("lang") == "en"
    assert index.cssselect("svg a[href='municipalities/0665.html']")[0].get("aria-label") == "Vaggeryd: declined"
    assert "Built 2026-03-02 10:30" in index.cssselect("footer")[0].text_content()
    feed = feedparser.parse((world.site_dir / "feeds/changes.atom").read_bytes())
    assert feed.entries[0].title == "Malmö: unknown → declined"


def kommunvakt(world, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "monitor.cli", "--config", str(world.config_path), *args],
                          capture_output=True, text=True, timeout=120, cwd=world.config_path.parent)


def test_publish_command_and_export_give_the_same_files(world, tmp_path):
    out = tmp_path / "public"
    result = kommunvakt(world, "publish", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert "290 municipalities, 4 changes" in result.stdout
    exported = kommunvakt(world, "export", "--format", "csv")
    assert exported.returncode == 0, exported.stderr
    assert exported.stdout == (out / "downloads/stances.csv").read_text(encoding="utf-8")
    as_json = kommunvakt(world, "export", "--format", "json", "-o", str(tmp_path / "x.json"))
    assert as_json.returncode == 0
    assert (tmp_path / "x.json").read_text(encoding="utf-8") == (out / "downloads/stances.json").read_text("utf-8")
