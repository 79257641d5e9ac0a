"""Issue 5's whole path: `kommunvakt crawl --press` -> feeds -> articles -> stories -> analysis -> email."""

from __future__ import annotations

import json
import sqlite3
import subprocess
from pathlib import Path

import pytest

from tests.support.cli import kommunvakt as run_kommunvakt
from tests.support.newsroom import SEED_COPY_PAGE, SEED_DECLINES, SEED_PAGE, SKELLEFTEA, UMEA, UMEA_COPIES
from tests.support.press import PressSource, press_config, yesterday_morning
from tests.support.smtp import SmtpSink

MUNICIPALITY_NAMES = {"0180": "Stockholm", "1480": "Göteborg", "2510": "Jokkmokk", "2582": "Boden",
                      "2584": "Kiruna", "2523": "Gällivare", "2513": "Överkalix", "2521": "Pajala",
                      "2505": "Arvidsjaur", "2506": "Arjeplog", "2580": "Luleå", "2514": "Kalix",
                      UMEA: "Umeå", SKELLEFTEA: "Skellefteå"}


def kommunvakt(config: Path, *args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    return run_kommunvakt(config, *args, timeout=timeout)


def status_json(config: Path) -> dict:
    result = kommunvakt(config, "status", "--sources", "--json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def observation_counts(tmp_path: Path) -> dict[str, int]:
    with sqlite3.connect(tmp_path / "kommunvakt.db") as db:
        return dict(db.execute("select municipality_code, count(*) from stance_observations group by 1"))


MENTIONS = "desk@example.org"


def to(mails, recipient: str) -> list:
    return [m for m in mails if recipient in m.rcpt_tos]


@pytest.fixture
def smtp():
    with SmtpSink() as sink:
        yield sink


@pytest.fixture
def config(tmp_path, newsroom, smtp) -> Path:
    room, _server = newsroom
    targets = ({"name": "newsroom", "url": smtp.url(), "language": "en"},
               {"name": "desk", "url": smtp.url(to=MENTIONS), "events": ["new_mention"]})
    return press_config(tmp_path, f"sqlite:///{tmp_path / 'kommunvakt.db'}", [
        PressSource("press-svt", [room.feed_url("svt-rss-utf8.xml")], "SVT Nyheter"),
        PressSource("press-norr", [room.feed_url("norr-atom-latin1.xml")]),
        PressSource("press-mitti", [room.feed_url("mitti-rss-latin1.xml")]),
        PressSource("press-broken", [room.feed_url("broken.xml")]),
        PressSource("press-hostile", [room.feed_url("laughs.xml")]),
    ], targets=targets)


def test_press_crawl_finds_each_decline_once_one_story_per_copies_and_records_bad_feeds(tmp_path, newsroom, smtp,
                                                                                       config):
    room, server = newsroom
    first = kommunvakt(config, "crawl", "--press")
    assert first.returncode == 1, first.stdout + first.stderr  # two feeds are bad: the crawl says so

    state = status_json(config)
    stances = {m["municipality_code"]: m for m in state["municipalities"]}
    assert set(stances) == SEED_DECLINES | {UMEA, SKELLEFTEA}
    assert all(m["stance"] == "declined" and m["authority"] == "press" for m in stances.values())
    assert stances["0180"]["outlet"] == "SVT Nyheter" and stances["0180"]["document_url"] == room.url(SEED_PAGE)
    assert stances["1480"]["evidence"] == "Gothenburg also gives the same message, reports GP."
    assert observation_counts(tmp_path) == dict.fromkeys(SEED_DECLINES | {UMEA, SKELLEFTEA}, 1)

    stories = {frozenset(c["url"] for c in s["copies"]) for s in state["press_stories"]}
    assert stories == {frozenset(room.url(p) for p in (SEED_PAGE, SEED_COPY_PAGE)),
                       frozenset(room.url(p) for p in UMEA_COPIES)}
    umea_story = next(s for s in state["press_stories"] if len(s["copies"]) == 3)
    assert umea_story["copies"][0]["outlet"] == "SVT Nyheter"  # crawled first: the story's first copy
    assert {c["outlet"] for c in umea_story["copies"]} == {"SVT Nyheter", "Norran", "Västerbottens-Kuriren"}

    sources = {s["source"]: s for s in state["sources"]}
    assert sources["press-broken"]["last_outcome"] == "failed"
    assert sources["press-broken"]["last_error"].startswith(room.feed_url("broken.xml") + ": malformed XML")
    assert sources["press-hostile"]["last_outcome"] == "failed"
    assert "declares XML entities" in sources["press-hostile"]["last_error"]
    assert all(sources[k]["last_outcome"] == "ok" for k in ("press-svt", "press-norr", "press-mitti"))
    (kept,) = state["press_articles_from_feed_summary"]
    assert kept["source"] == "press-svt" and "HTTP 404" in kept["reason"]

    everything = smtp.wait_for(len(MUNICIPALITY_NAMES) + 2)
    mails = to(everything, "news@example.org")
    assert len(mails) == len(MUNICIPALITY_NAMES)  # one per municipality: copies add none
    mentions = to(everything, MENTIONS)  # one new-mention alert per story, none for its copies
    assert len(mentions) == 2 and len(everything) == len(mails) + 2
    assert {room.url(SEED_PAGE), room.url(UMEA_COPIES[0])} == {
        next(u for u in (room.url(SEED_PAGE), room.url(UMEA_COPIES[0])) if u in m.text) for m in mentions}
    subjects = sorted(m.subject for m in mails)
    assert all(any(name in s for s in subjects) for name in MUNICIPALITY_NAMES.values())
    stockholm = next(m for m in mails if m.subject.startswith("Stockholm"))
    day = yesterday_morning().date().isoformat()
    assert f"according to SVT Nyheter, {day}" in stockholm.text
    assert "But Stockholm is now saying no to such a meeting." in stockholm.text

    second = kommunvakt(config, "crawl", "--press")
    assert second.returncode == 1
    assert "0 new" in second.stdout and "0 stance observations" in second.stdout
    assert all(server.requests(p) == 1 for p in (SEED_PAGE, SEED_COPY_PAGE, *UMEA_COPIES))
    assert len(smtp.messages) == len(MUNICIPALITY_NAMES) + 2


def test_status_text_shows_stories_and_failing_feeds(tmp_path, newsroom, config):
    kommunvakt(config, "crawl", "--press", "--no-alerts")
    result = kommunvakt(config, "status", "--sources")
    assert result.returncode == 0, result.stderr
    assert "Press stories told by several outlets (2):" in result.stdout
    (line,) = [line for line in result.stdout.splitlines() if "3 copies: SVT Nyheter" in line]
    assert "Norran" in line and "Västerbottens-Kuriren" in line
    assert "press-hostile" in result.stdout and "declares XML entities" in result.stdout
